"""Synthesis: code aligns, finds differing figures and dates; the model phrases; code cites (real sentences throughout)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from summarizer import synthesize
from summarizer.brief.schema import ArticleBrief, GeneratedBy
from summarizer.checks.support import find_support
from summarizer.errors import ProviderError
from summarizer.inputs.article import Article
from summarizer.inputs.loading import article_from_text
from summarizer.inputs.loading import load_article as load_article_file
from summarizer.nlp.features import sentence_features
from summarizer.providers.base import ModelRequest
from summarizer.synthesis.align import Similarity, aligned_groups
from summarizer.synthesis.discrepancies import find_discrepancies
from summarizer.synthesis.material import gather_material
from summarizer.testing import FunctionProvider

M000 = Path(__file__).parent / "data" / "M000"
WHO = GeneratedBy(provider="test", model="none", prompt_id="brief", prompt_version="test")


def _article(name: str, published: dt.date | None = None) -> Article:
    text = (M000 / name).read_text(encoding="utf-8")
    article = article_from_text(text, source=name, article_id=name.removesuffix(".txt"))
    return article.model_copy(update={"published": published or article.published})


def _empty_brief(article: Article) -> ArticleBrief:
    """A brief with no key points: the synthesis then works from the article's own sentences."""
    return ArticleBrief(
        article_id=article.id,
        source=article.source,
        headline="-",
        summary="-",
        key_points=[],
        entities=[],
        quotes=[],
        dates=[],
        generated_by=WHO,
    )


def _text_article(article_id: str, text: str, published: dt.date | None = None) -> Article:
    article = article_from_text(text, source=f"{article_id}.txt", article_id=article_id)
    return article.model_copy(update={"published": published})


def test_two_articles_reporting_the_same_fact_in_other_words_align_and_unrelated_sentences_do_not() -> None:
    telethon_a = _article("M0004.txt")
    telethon_b = _article("M0009.txt")
    quake = _article("M0003.txt")
    articles = [telethon_a, telethon_b, quake]
    material = gather_material([_empty_brief(a) for a in articles], articles)
    groups = aligned_groups(material, Similarity(material))
    spanning = [group for group in groups if {"M0004", "M0009"} <= set(group.article_ids)]
    assert spanning, "the two telethon articles share a statement"
    assert any("395,000 euro" in s.text for group in spanning for s in group.sentences)
    assert not any("M0003" in group.article_ids for group in groups), "the quake-duration article shares none"


def test_the_m000_death_tolls_are_found_as_a_disagreement_citing_sentences_that_differ() -> None:
    articles = [_article("M0006.txt"), _article("M0008.txt")]
    material = gather_material([_empty_brief(a) for a in articles], articles)
    found = find_discrepancies(material, Similarity(material))
    assert found
    for item in found:
        assert item.first.article_id != item.second.article_id
        assert item.first_number.value != item.second_number.value
        assert item.first_number.phrase.split()[0].replace(",", "") in item.first.text.replace(",", "")
    assert any({item.first_number.value, item.second_number.value} == {80000.0, 121000.0} for item in found)


def test_different_things_counted_are_not_disagreements() -> None:
    killed = _text_article("a", "The bombs killed 52 people in central London on Thursday morning.")
    injured = _text_article("b", "The bombs injured 700 people in central London on Thursday morning.")
    japan = _text_article("c", "Japan promised 500 million dollars in aid for the tsunami victims on Saturday.")
    china = _text_article("d", "China promised 60 million dollars in aid for the tsunami victims on Saturday.")
    for pair in ([killed, injured], [japan, china]):
        material = gather_material([_empty_brief(a) for a in pair], pair)
        assert find_discrepancies(material, Similarity(material)) == []
    same = _text_article("e", "The bombs killed 56 people in central London on Thursday morning.")
    material = gather_material([_empty_brief(a) for a in (killed, same)], [killed, same])
    assert len(find_discrepancies(material, Similarity(material))) == 1


def test_support_needs_the_claims_names_numbers_and_most_words_and_cites_the_sentences_that_hold_them() -> None:
    article = _article("M0009.txt")
    material = gather_material([_empty_brief(article)], [article])
    pool = material.sentences
    good, wrong_number, wrong_name = sentence_features(
        [
            "The Romanian public raised 395,000 euro in a telethon.",
            "The Romanian public raised 495,000 euro in a telethon.",
            "The French public raised 395,000 euro in a telethon.",
        ]
    )
    support = find_support("The Romanian public raised 395,000 euro in a telethon.", good, pool)
    assert support.problem is None and any("395,000" in s.text for s in support.sentences)
    assert "495,000" in (find_support("… 495,000 …", wrong_number, pool).problem or "")
    assert "french" in (find_support("The French public …", wrong_name, pool).problem or "").casefold()


def _scripted(answers: dict[str, Any]) -> FunctionProvider:
    """Answers by prompt id; an 'agree' answer may be a list, given out in call order."""
    queue = list(answers.get("agree", []))

    def answer(request: ModelRequest[Any]) -> Any:
        if request.prompt_id == "agree":
            return queue.pop(0) if queue else {"t": "Nothing."}
        return answers[request.prompt_id]

    return FunctionProvider(answer, name="scripted", model="fake")


def _telethon_cluster() -> list[Article]:
    return [_article("M0004.txt"), _article("M0009.txt"), _article("M0006.txt"), _article("M0008.txt")]


def test_every_model_sentence_is_cited_by_code_and_an_unsupported_one_is_dropped_and_listed() -> None:
    articles = _telethon_cluster()
    briefs = [_empty_brief(a) for a in articles]
    overview = (
        "The Romanian public raised the equivalent of 395,000 euro in a telethon. President Zorro pledged 9 ships to the region."
    )
    provider = _scripted(
        {
            "synthesize": {"overview": overview, "themes": [{"t": "Romanian telethon", "g": [1]}]},
            "agree": [{"t": "The Romanian public raised 395,000 euro in a telethon."}] * 6,
        }
    )
    synthesis = synthesize(briefs, articles=articles, provider=provider)
    supported = "The Romanian public raised the equivalent of 395,000 euro in a telethon."
    assert synthesis.overview.text.startswith(supported) and "Zorro" not in synthesis.overview.text
    first, *topped_up = synthesis.overview.citations
    assert "395,000" in (first.evidence or "") or "telethon" in (first.evidence or "")
    assert topped_up and all(c.evidence and c.evidence in synthesis.overview.text for c in topped_up), "quoted verbatim"
    dropped = [item for item in synthesis.removed if item.field == "overview"]
    assert dropped and "Zorro" in dropped[0].value
    telethon = [a for a in synthesis.agreements if "telethon" in a.text]
    assert len(telethon) == 1, "the same sentence for another group is a repeat, not a second agreement"
    assert set(telethon[0].article_ids) == {"M0004", "M0009"}
    assert synthesis.themes and synthesis.themes[0].citations
    by_id = {a.id: a for a in articles}
    for claim in synthesis.claims():
        for citation in claim.citations:
            assert citation.evidence and citation.evidence in by_id[citation.article_id].text


def test_a_failed_model_call_loses_only_the_prose() -> None:
    articles = _telethon_cluster()

    def broken(request: ModelRequest[Any]) -> Any:
        raise ProviderError("the endpoint is down")

    synthesis = synthesize([_empty_brief(a) for a in articles], articles=articles, provider=FunctionProvider(broken))
    assert synthesis.failed_groups and "endpoint is down" in synthesis.failed_groups[0].error
    assert synthesis.overview.citations, "the most central sentences stand in for the overview"
    assert synthesis.disagreements, "code's findings stand"
    # So do the shared parts code cut out: each agreement left is verbatim from one article, held by two.
    assert synthesis.agreements and all(len(claim.article_ids) >= 2 for claim in synthesis.agreements)
    for claim in synthesis.agreements:
        words = set(re.findall(r"\w+", claim.text.casefold()))
        assert any(words <= set(re.findall(r"\w+", (c.evidence or "").casefold())) for c in claim.citations)


def test_the_synthesis_json_round_trips_and_cites_only_given_articles() -> None:
    articles = _telethon_cluster()
    provider = _scripted({"synthesize": {"overview": "Nothing here is supported by Zorro.", "themes": []}})
    synthesis = synthesize([_empty_brief(a) for a in articles], articles=articles, provider=provider)
    again = type(synthesis).model_validate(json.loads(synthesis.model_dump_json()))
    assert again == synthesis
    assert synthesis.cited_article_ids() <= set(synthesis.article_ids)


def _sentence_of(material: Any, article_prefix: str, number: int) -> Any:
    return next(s for s in material.sentences if s.article_id.startswith(article_prefix) and s.number == number)


def _seed_pool(*refs: tuple[str, int]) -> tuple[Any, list[Any]]:
    """The seeds' material (the articles named by ``refs``' prefixes) and the sentences ``refs`` name, in order."""
    from tests.conftest import SEEDS

    articles = [load_article_file(path) for path in SEEDS if path.name.startswith(tuple(prefix for prefix, _ in refs))]
    material = gather_material([_empty_brief(a) for a in articles], articles)
    return material, [_sentence_of(material, prefix, number) for prefix, number in refs]


def holding_articles(text: str, group: Any) -> list[str]:
    """The group's articles that each support ``text`` on their own."""
    from summarizer.checks.support import holding_sentences

    holding = holding_sentences(text, sentence_features([text])[0], group.sentences)
    return list(dict.fromkeys(sentence.article_id for sentence in holding))


def _problem(claim: str, pool: list[Any]) -> str | None:
    return find_support(claim, sentence_features([claim])[0], pool).problem


def test_an_agreement_must_be_held_by_two_articles_each_on_their_own() -> None:
    from summarizer.synthesis.align import AlignedGroup
    from summarizer.synthesis.compose import compose

    _, (participate, exercise, ally_001, ally_003) = _seed_pool(("001", 12), ("003", 8), ("001", 4), ("003", 9))
    exercises = AlignedGroup((participate, exercise), 0.39)
    ally = AlignedGroup((ally_001, ally_003), 0.49)
    # What the local model wrote for the first group (seeds, recorded): one statement merged from two different ones.
    merged = "The US and Japan have agreed to participate in military exercises with South Korea and Japan."
    assert holding_articles(merged, exercises) == [], "003 has the U.S. alone hold exercises; 001 has no exercises"
    shared = "China is North Korea's ally."
    assert [a[:3] for a in holding_articles(shared, ally)] == ["001", "003"]
    composed = compose(None, [merged, shared], [exercises, ally], [])
    assert [claim.text for claim in composed.agreements] == [shared]
    assert len(composed.agreements[0].article_ids) == 2
    assert any(item.value == merged for item in composed.removed)


def test_code_cuts_out_the_part_two_articles_share_and_it_stands_in_when_the_model_copies_one_sentence() -> None:
    from summarizer.synthesis.align import AlignedGroup
    from summarizer.synthesis.compose import compose
    from summarizer.synthesis.fusion import group_core, shared_core

    articles = [_article("M0004.txt"), _article("M0009.txt")]
    material = gather_material([_empty_brief(a) for a in articles], articles)
    m0004, m0009 = _sentence_of(material, "M0004", 9), _sentence_of(material, "M0009", 6)
    core = shared_core(m0009, [m0004])
    assert core is not None and "raised the equivalent of 395,000 euro in a telethon" in core
    assert "January 16" not in core, "a date only one article gives is cut"
    group = AlignedGroup((m0009, m0004), 0.5)
    assert group_core(group) == core and holding_articles(core, group) == ["M0009", "M0004"]
    # The model copied the whole sentence, date and all: only M0009 supports it; the core stands in, cited in both.
    copied = m0009.text
    composed = compose(None, [copied], [group], [], [core])
    assert [claim.text for claim in composed.agreements] == [core]
    assert composed.agreements[0].article_ids == ["M0009", "M0004"]
    assert any(item.value == copied and "no two articles" in item.reason for item in composed.removed)


def test_the_core_of_reported_speech_is_the_report_and_first_person_quotes_give_none() -> None:
    from summarizer.synthesis.fusion import shared_core

    said = _text_article("a", "The bombs killed 52 people in central London on Thursday morning, police said on Friday.")
    other = _text_article("b", "Police say the bombs in central London killed 52 people on Thursday.")
    quoted = _text_article("c", '"We will rebuild central London after the bombs killed 52 people," the mayor said.')
    material = gather_material([_empty_brief(a) for a in (said, other, quoted)], [said, other, quoted])
    first, second, third = (material.of(article_id)[0] for article_id in ("a", "b", "c"))
    core = shared_core(first, [second])
    assert core is not None and core.startswith("The bombs killed 52 people in central London") and "said" not in core
    assert shared_core(third, [second]) is None
    _, (us_and_japan, exercises) = _seed_pool(("001", 12), ("003", 8))
    core = shared_core(us_and_japan, [exercises])
    assert core is not None and core.startswith("The US and Japan have agreed"), "'US' is a name, not the pronoun 'us'"


def test_looser_groups_only_fill_the_room_the_aligned_ones_leave() -> None:
    from summarizer.synthesis.align import CANDIDATE_SIMILARITY, candidate_groups, choose_groups

    articles = [_article(path.name) for path in sorted(M000.glob("M000*.txt"))]
    material = gather_material([_empty_brief(a) for a in articles], articles)
    similarity = Similarity(material)
    aligned = choose_groups(aligned_groups(material, similarity), 12, similarity)
    assert 2 < len(aligned) < 12
    assert candidate_groups(material, similarity, 2) == aligned[:2]
    filled = candidate_groups(material, similarity, 12)
    assert filled[: len(aligned)] == aligned and len(filled) > len(aligned)
    looser = filled[len(aligned) :]
    assert all(similarity(group.seed, other) >= CANDIDATE_SIMILARITY for group in looser for other in group.sentences[1:])
    assert any(similarity(group.seed, other) < 0.4 for group in looser for other in group.sentences[1:])


def test_a_claim_that_changes_who_acts_is_not_supported() -> None:
    _, pool = _seed_pool(("001", 12), ("003", 8))
    # Written by the local model for the seeds' overview (recorded): Japan joined to what the U.S. did.
    joined = "The US and Japan have condemned the North Korean shelling and have since then held military exercises."
    assert "japan and us do not 'condemn'" in (_problem(joined, pool) or "")
    assert _problem("The U.S. government condemned the North Korean shelling.", pool) is None

    source = _text_article("a", "Iranian forces captured 15 British sailors and marines in the Gulf on Friday.")
    sentences = gather_material([_empty_brief(source)], [source]).sentences
    assert _problem("15 British sailors and marines were captured by Iranian forces in the Gulf.", sentences) is None
    assert _problem("British forces captured 15 Iranian sailors and marines in the Gulf.", sentences) is not None


def test_a_clause_joined_from_two_sentences_is_not_supported_and_a_short_overview_is_topped_up() -> None:
    from summarizer.synthesis.align import AlignedGroup
    from summarizer.synthesis.compose import MIN_OVERVIEW_WORDS, compose
    from summarizer.synthesis.draft import SynthesisDraft

    material, pool = _seed_pool(("001", 12), ("004", 1))
    # Written by the local model for the seeds' overview (recorded): 001's "participate" joined to 004's dialogue.
    joined = "The US and Japan have agreed to participate in defense-related dialogue with China."
    assert "'participate'" in (_problem(joined, pool) or "")
    own = "The US and Japan have agreed to participate, while China and Russia have yet to respond."
    assert _problem(own, pool) is None

    leads = material.first_sentences()
    draft = SynthesisDraft(overview=f"{joined} {own}", themes=[])
    composed = compose(draft, [], [AlignedGroup(tuple(pool), 0.3)], leads)
    assert composed.overview.text.startswith(own) and joined not in composed.overview.text
    assert len(composed.overview.text.split()) >= MIN_OVERVIEW_WORDS
    assert {c.article_id[:3] for c in composed.overview.citations} == {"001", "004"}
    assert any(item.value == joined for item in composed.removed)


def test_initials_the_model_spaced_out_are_closed_up_before_checking() -> None:
    from summarizer.synthesis.compose import tidy

    # The local model wrote "A U. S. official meets with Chinese officials in Beijing." for the seeds (recorded).
    assert tidy("A U. S. official met U. N. staff.") == "A U.S. official met U.N. staff."
    assert tidy("John F. Kennedy said so.") == "John F. Kennedy said so."


def test_a_count_written_in_words_must_be_in_the_supporting_sentences_too() -> None:
    articles = [_article("M0004.txt"), _article("M0008.txt")]
    material = gather_material([_empty_brief(a) for a in articles], articles)
    two_missing, thousands_missing = _sentence_of(material, "M0004", 8), _sentence_of(material, "M0008", 9)
    claim = "Two tourists are missing in the tsunami region."
    assert _problem(claim, [two_missing]) is None
    assert "the number 'Two'" in (_problem(claim, [thousands_missing]) or ""), "10,500 foreign nationals are not two"


def test_an_overview_sentence_fused_within_one_article_is_kept_unverified_and_one_fused_across_articles_dropped() -> None:
    from summarizer.synthesis.align import AlignedGroup
    from summarizer.synthesis.compose import compose
    from summarizer.synthesis.draft import SynthesisDraft

    council = _text_article(
        "a", "The council approved the budget on Monday after a long debate.\n\nThe mayor praised the new park."
    )
    harbour = _text_article("b", "Heavy rain flooded the harbour on Tuesday.\n\nFishermen rescued a stranded dog near the pier.")
    material = gather_material([_empty_brief(a) for a in (council, harbour)], [council, harbour])
    leads = [*material.of("a"), *material.of("b")]
    group = AlignedGroup((material.of("a")[0], material.of("b")[0]), 0.3)
    within = "The council praised the new budget."  # every word is article a's; no one sentence of it says so
    across = "The council rescued a stranded dog near the budget debate."  # joins a's council to b's rescue
    assert _problem(within, leads) is not None and _problem(within, leads).startswith("no one sentence says what")
    composed = compose(SynthesisDraft(overview=f"{within} {across}", themes=[]), [], [group], leads)
    assert within in composed.overview.text and across not in composed.overview.text
    assert composed.overview.article_ids[0] == "a"  # the kept sentence is cited in the article it rests on
    assert [(item.field, item.value) for item in composed.unverified] == [("overview", within)]
    assert [item.value for item in composed.removed] == [across]
