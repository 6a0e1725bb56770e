"""`check_summary` and `summarizer check` on summaries from any source: sentence verdicts, passages with spans, reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import check_summary
from summarizer.checks import summary as summary_module
from summarizer.cli import app
from summarizer.inputs.loading import load_article
from tests.conftest import SEEDS

runner = CliRunner()
SEED_000 = SEEDS[0]  # "The United States proposed dialogue with China over potential contingencies ..."
REVERSED = "U.S. and China propose dialogue on potential contingencies on the Korean Peninsula."  # the recorded brief's headline
FAITHFUL = "The United States proposed dialogue with China on potential contingencies on the Korean Peninsula."


def test_a_summary_that_makes_china_propose_too_is_unsupported_and_the_article_s_own_words_pass() -> None:
    article = load_article(SEED_000)
    result = check_summary(f"{REVERSED} {FAITHFUL}", article)
    reversed_check, faithful_check = result.sentences
    assert reversed_check.verdict == "unsupported" and not result.supported
    assert reversed_check.reason == "who acts is changed: in the sentences that support it, china and us do not 'propose'"
    assert faithful_check.verdict == "supported" and faithful_check.reason is None
    first = faithful_check.passages[0]
    assert first.sentence == 1 and article.text[first.start : first.end] == first.text  # spans point into the article
    assert check_summary(FAITHFUL, article).supported


def test_markdown_summaries_are_read_as_sentences_and_the_article_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    article = load_article(SEED_000)
    parses = []
    real = summary_module.passages_of
    monkeypatch.setattr(summary_module, "passages_of", lambda a: parses.append(a.id) or real(a))
    monkeypatch.setattr(summary_module, "_parsed", type(summary_module._parsed)())
    markdown = f"## Summary\n\n- **{FAITHFUL}**\n- Read more at the site.\n"
    first = check_summary(markdown, article)
    again = check_summary(markdown, article)
    assert [s.text for s in first.sentences] == ["Summary", FAITHFUL, "Read more at the site."]
    assert [s.verdict for s in first.sentences][1] == "supported" and first == again
    assert parses == [article.id]  # one parse of the article for both checks


def test_summarizer_check_takes_a_summary_as_text_or_as_a_file_and_says_json_when_asked(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["check", "--summary", f"{REVERSED} {FAITHFUL}", str(SEED_000)])
    assert shown.exit_code == 1
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("unsupported  [1] 'U.S. and China propose dialogue") and "who acts is changed" in lines[0]
    assert lines[-1] == "2 sentences: supported 1, uncertain 0, unsupported 1, unverifiable 0"
    summary_file = tmp_path / "summary.md"
    summary_file.write_text(f"- {FAITHFUL}\n", encoding="utf-8")
    as_json = runner.invoke(app, ["check", str(summary_file), str(SEED_000), "--format", "json"])
    assert as_json.exit_code == 0, as_json.stdout
    data = json.loads(as_json.stdout)
    assert data["supported"] is True and data["sentences"][0]["passages"][0]["sentence"] == 1
    two = runner.invoke(app, ["check", "--summary", FAITHFUL, str(SEED_000), str(SEEDS[1])])
    assert two.exit_code == 2 and "against one article, not 2" in two.stderr


def test_seed_000s_recorded_brief_no_longer_shows_the_reversed_headline_or_summary_as_verified() -> None:
    from summarizer import brief_article
    from summarizer.providers.replay import ReplayProvider
    from tests.conftest import FIXTURES

    brief = brief_article(SEED_000, provider=ReplayProvider(FIXTURES))  # the local model's recorded answer
    assert not brief.headline.startswith("U.S. and China propose")
    assert brief.headline.startswith("The United States proposed dialogue with China")  # the lead, its dateline cut
    removed = {item.field: item for item in brief.removed}
    assert removed["headline"].value.startswith("U.S. and China propose dialogue")
    assert "who acts is changed" in removed["headline"].reason
    assert removed["summary"].value.startswith("The U.S. and China proposed dialogue")
    assert brief.grounding is not None and brief.grounding.counts["supported"] == 2  # what is left says what it says
    assert "unsupported" not in brief.grounding.counts


def test_a_claim_that_turns_a_refusal_into_agreement_is_unsupported_and_the_refusal_itself_passes() -> None:
    article = load_article(SEED_000)  # "... but Beijing remains unwilling to engage in talks over such a sensitive issue"
    agreed = check_summary("Beijing agreed to engage in talks over such a sensitive issue.", article).sentences[0]
    assert agreed.verdict == "unsupported" and agreed.reason == "it says the opposite: the article denies 'engage'"
    willing = check_summary("Beijing is willing to engage in talks over such a sensitive issue.", article).sentences[0]
    assert willing.verdict == "unsupported"
    refused = check_summary("Beijing remains unwilling to engage in talks over such a sensitive issue.", article)
    assert refused.supported


def test_a_paraphrase_that_writes_us_for_the_united_states_passes() -> None:
    article = load_article(SEED_000)  # the article writes "The United States proposed dialogue with China ..."
    paraphrase = "The U.S. has repeatedly proposed dialogue with China about contingencies on the Korean Peninsula."
    assert check_summary(paraphrase, article).supported
    assert not check_summary(REVERSED, article).supported  # while China proposing too is still a change of who acts


M000 = Path(__file__).parent / "data" / "M000"


def test_a_number_attached_to_other_casualties_is_unsupported_and_the_right_one_passes() -> None:
    article = load_article(M000 / "M0008.txt")  # AP: "… death toll passed 121,000, and 5 million people were homeless."
    wrong = check_summary("5 million people were killed.", article).sentences[0]  # the UN's 5 million need relief
    assert wrong.verdict == "unsupported"
    assert wrong.reason == "the number 5 million people counts homeless and people (need) in the article, not deaths"
    assert check_summary("5 million people were homeless.", article).supported


def test_a_statement_the_article_attributes_is_flagged_when_stated_as_fact() -> None:
    article = load_article(
        SEED_000
    )  # "…, but Beijing remains unwilling to engage in talks …, a senior U.S. defense official said."
    bare = check_summary("Beijing remains unwilling to engage in talks over such a sensitive issue.", article).sentences[0]
    assert bare.verdict == "supported" and bare.note and "said; it is stated as fact" in bare.note
    kept = "A U.S. defense official said Beijing remains unwilling to engage in talks over such a sensitive issue."
    assert check_summary(kept, article).sentences[0].note is None


def test_a_summary_may_say_what_the_title_says_in_other_words() -> None:
    seed_003 = SEEDS[3]  # titled "Chinese, US Officials Meet to Discuss Korean Tensions"
    shown = runner.invoke(app, ["check", "--summary", "Chinese and US officials meet to discuss Korean tensions.", str(seed_003)])
    assert shown.exit_code == 0, shown.stdout
    assert shown.stdout.startswith("supported") and "sentence 0 [" in shown.stdout  # the title is passage 0, with its span


def test_a_fusion_the_rules_cannot_decide_is_uncertain_kept_and_never_reported_verified() -> None:
    from summarizer.brief.meaning import keep_supported_headline_and_summary, meaning_report
    from summarizer.inputs.building import article_from_text
    from summarizer.providers.base import FlaggedItem

    article = article_from_text(
        "The council approved the budget on Monday after a long debate.\n\nThe mayor praised the new park in the centre.",
        article_id="council",
    )
    fused = "The council praised the new budget."  # each word is the article's; no one sentence says it
    check = check_summary(fused, article)
    assert [s.verdict for s in check.sentences] == ["uncertain"] and check.supported  # not refused
    assert (check.sentences[0].reason or "").startswith("no one sentence says what 'praise' does")
    assert check.counts() == {"supported": 0, "uncertain": 1, "unsupported": 0, "unverifiable": 0}
    report = meaning_report("Council approves budget", fused, article)
    assert [(item.value, item.verdict) for item in report if item.value == fused] == [(fused, "unverified")]
    removed: list[FlaggedItem] = []
    unverified: list[FlaggedItem] = []
    assert keep_supported_headline_and_summary("Council approves budget", fused, article, removed, unverified)[1] == fused
    assert not [item for item in removed if item.field == "summary"]
    assert [(item.field, item.value) for item in unverified] == [("summary", fused)]  # listed in the audit as unverified
    assert unverified[0].reason.startswith("not verified: no one sentence says")
    # Who acts is checked first: a swapped actor is refused even where the clause is also joined from two sentences.
    swapped = check_summary(
        "The U.S. and China proposed dialogue on potential contingencies on the Korean Peninsula.", load_article(SEED_000)
    )
    assert swapped.sentences[0].verdict == "unsupported" and "who acts is changed" in (swapped.sentences[0].reason or "")


def test_the_daily_briefing_marks_an_in_brief_line_whose_summary_is_kept_unverified(tmp_path: Path) -> None:
    from summarizer import daily_briefing
    from summarizer.testing import FunctionProvider

    (tmp_path / "council.txt").write_text(
        "The council approved the budget on Monday after a long debate.\n\nThe mayor praised the new park in the centre.\n",
        encoding="utf-8",
    )
    answer = {"headline": "Council approves budget", "summary": "The council praised the new budget.", "key": [1], "quotes": []}
    briefing = daily_briefing([tmp_path], provider=FunctionProvider(lambda request: answer))
    line = next(line for line in briefing.markdown.splitlines() if "The council praised the new budget." in line)
    assert line.endswith("*(not all of it verified: see the audit)*"), line
    assert 'unverified summary "The council praised the new budget."' in briefing.markdown  # the audit says why
