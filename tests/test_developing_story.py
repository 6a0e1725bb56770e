"""A developing story told as it developed: figures over time, same-day conflicts, a timeline and actors a person reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from summarizer.checks.summary import article_passages
from summarizer.cli import app
from summarizer.inputs.building import article_from_text
from summarizer.nlp.phrases import verb_phrase
from summarizer.synthesis.figures import find_figures

M000 = Path(__file__).parent / "data" / "M000"
runner = CliRunner()


def _m000(*names: str) -> list:
    return [article_from_text((M000 / f"{n}.txt").read_text(encoding="utf-8"), article_id=n, source=n) for n in names]


def test_glued_date_lines_become_the_publication_date_and_leave_the_lead() -> None:
    telethon, donations, oxfam = _m000("M0004", "M0000", "M0007")
    assert telethon.published is not None and telethon.published.isoformat() == "2005-01-18"
    assert telethon.sentences[1].text.startswith("Through a telethon, Romanians have raised")
    assert donations.title == "Tsunami aid donations in 2005 deductible for 2004 in the U.S."
    assert donations.published is not None and donations.published.isoformat() == "2005-01-08"
    assert oxfam.sentences[0].text.startswith("Up to four times as many women as men died")
    assert oxfam.published is not None and oxfam.published.isoformat() == "2005-03-26"


def test_the_death_toll_moves_by_day_and_only_same_day_figures_conflict() -> None:
    articles = _m000("M0006", "M0008", "M0004", "M0009")
    passages = [p for a in articles for p in article_passages(a)]
    series = find_figures(passages, {a.id: a.published for a in articles}, {a.id: a.published_from for a in articles})
    deaths = next(s for s in series if s.quantity == "deaths" and not s.scope)
    days = deaths.days()
    assert [day for day, _ in days] == ["2004-12-29", "2005-01-01", "2005-01-18"]
    assert [p.citation.article_id for p in days[0][1]] == ["M0006"] and days[0][1][0].value == 80000
    assert max(p.value for p in days[1][1]) == 150000 and {p.citation.article_id for p in days[1][1]} == {"M0008"}
    assert days[2][1][0].text == "more than 175,000 victims"
    for point in deaths.points:  # every point cites its sentence and says where its date came from
        article = next(a for a in articles if a.id == point.citation.article_id)
        assert point.start is not None and article.text[point.start : point.end] == point.text
        assert point.citation.evidence and point.text in point.citation.evidence
        assert "publication date" in point.date_from
    assert [day for day, _ in deaths.conflicts()] == ["2005-01-01"]  # M0008 quotes AP, the UN and others that day
    expected = [p for p in deaths.points if p.expected]  # "could increase to over 100,000", "could climb beyond 150,000"
    assert expected and not any(p.expected for _, points in deaths.conflicts() for p in points)
    assert all(p.expected is False for _, points in deaths.days() for p in points), "a forecast is not a reported figure"


def test_a_part_of_the_story_is_its_own_quantity() -> None:
    articles = _m000("M0006", "M0008")
    passages = [p for a in articles for p in article_passages(a)]
    series = find_figures(passages, {a.id: a.published for a in articles}, {a.id: a.published_from for a in articles})
    whole = next(s for s in series if s.quantity == "deaths" and not s.scope)
    assert all("aceh" not in " ".join(p.named_with).lower() for p in whole.points), "Aceh province alone is not the toll"


def test_m000s_story_reads_without_machine_reasoning_or_cross_day_disagreements(tmp_path: Path) -> None:
    out = tmp_path / "m000.md"
    result = runner.invoke(app, ["daily", str(M000), "-o", str(out), "--date", "2026-11-22", "--provider", "replay", "-q"])
    assert result.exit_code == 0, result.stderr
    briefing = out.read_text(encoding="utf-8")
    story = briefing.split("## In brief")[0]
    figures = re.search(r"### How the figures moved\n\n- \*\*deaths\*\*: (.+)\n", story)
    assert figures, story
    steps = figures.group(1).split(" → ")
    assert len(steps) >= 3 and all(re.search(r"on \d{4}-\d{2}-\d{2} \[\d+\]$", step) for step in steps)
    disagreements = story.split("### Disagreements")[1].split("###")[0]
    assert "On 2005-01-01" in disagreements
    assert "2004-12-29" not in disagreements, "a toll that rose is not a disagreement"
    timeline = story.split("### Timeline")[1].split("###")[0]
    assert "date not established" not in timeline and "reported on" not in timeline and "it dates" not in timeline
    assert all(re.match(r"- \*\*\d{4}-\d{2}-\d{2}\*\* — ", line) for line in timeline.strip().splitlines())
    actors = story.split("### Actors")[1].split("###")[0].strip().splitlines()
    assert actors and all(" — " in line for line in actors if line.startswith("- ")), "every actor with what it did"
    assert "2005Through" not in briefing and "2005/01/08" not in briefing
    assert "timeline sentences with no date of their own" in briefing.split("## Audit")[1]


def test_what_an_actor_did_is_the_verb_phrase_without_its_subject() -> None:
    sentence = "Japanese Prime Minister Junichiro Koizumi announced a half-billion dollar donation on Saturday, Jan. 1."
    did = verb_phrase(sentence, "announce", "Junichiro Koizumi")
    assert did == "announced a half-billion dollar donation on Saturday, Jan. 1"
    assert verb_phrase("The Indian Ocean tsunami affected twelve countries.", "affect", "Indian Ocean") is None


def test_the_synthesis_json_keeps_every_figure_point(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synthesize", str(M000), "--provider", "replay", "-q"])
    assert result.exit_code == 0, result.stderr
    synthesis = json.loads(result.stdout)
    deaths = next(s for s in synthesis["figures"] if s["quantity"] == "deaths" and not s["scope"])
    assert all({"value", "text", "date", "date_from", "citation", "start", "end"} <= set(p) for p in deaths["points"])


def test_an_attributed_statement_stated_as_fact_is_refused_and_kept_attributed_it_passes() -> None:
    from summarizer.checks.support import made_fact
    from summarizer.nlp.features import sentence_features

    said, bare, kept = sentence_features(
        [
            "Iran said the British sailors were detained in Iranian waters.",
            "The British sailors were detained in Iranian waters.",
            "Iran said the sailors were held in its waters.",
        ]
    )

    class Passage:
        def __init__(self, features: object) -> None:
            self.features = features

    assert made_fact(bare.text, bare, [Passage(said)]) == "the articles give it as what Iran said; it is stated as fact"
    assert made_fact(kept.text, kept, [Passage(said)]) is None
    assert made_fact(bare.text, bare, [Passage(bare)]) is None, "said in the article's own voice"


def test_an_overview_opening_on_a_dangling_reference_is_not_shown() -> None:
    from summarizer.synthesis.compose import opens_on_reference

    assert opens_on_reference("That dialogue was proposed many times.")
    assert opens_on_reference("It said the talks would resume.")
    assert not opens_on_reference("The United States proposed dialogue with China.")


def test_an_agency_tag_leaves_the_lead_and_a_long_lead_gives_its_main_clause_as_headline() -> None:
    from summarizer.brief.meaning import fallback_headline

    path = sorted((Path(__file__).parent / "data" / "cnndm").glob("*.txt"))[0]
    article = article_from_text(path.read_text(encoding="utf-8"), article_id="ebola", source=path.name)
    assert article.outlet == "CNN" and article.sentences[0].text.startswith("Over the last year more than 25,000 people")
    headline = fallback_headline(article)
    assert headline == "Over the last year more than 25,000 people have fought Ebola infections"
    assert "…" not in headline and len(headline.split()) <= 20


def test_a_lone_summary_that_stops_unpunctuated_gives_way_to_the_lead() -> None:
    from summarizer import brief_article
    from summarizer.testing import FunctionProvider

    article = article_from_text(
        "The council of Meadow Lake said it donated $10,000 by mistake. It wants the money back.", article_id="m"
    )
    answer = {"headline": "Town wants its donation back", "summary": "The council has said it", "key": [1], "quotes": []}
    brief = brief_article(article, provider=FunctionProvider(lambda request: answer))
    assert brief.summary == "The council of Meadow Lake said it donated $10,000 by mistake."
    assert ("summary", "The council has said it") in [(item.field, item.value) for item in brief.removed]
