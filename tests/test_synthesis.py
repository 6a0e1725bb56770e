"""Synthesis: the draft's structural rules, hierarchical merging, and re-asks through the real provider code."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.brief.schema import ArticleBrief, GeneratedBy, KeyPoint, Span
from summarizer.errors import SummarizerError
from summarizer.inputs.loading import article_from_text
from summarizer.output.render import render_synthesis
from summarizer.providers.base import ModelRequest
from summarizer.providers.budget import request_tokens
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.synthesis.draft import SynthesisDraft
from summarizer.synthesis.pipeline import build_synthesis_request, synthesize
from summarizer.synthesis.schema import Synthesis
from summarizer.synthesis.sources import source_from_brief
from summarizer.testing import FunctionProvider
from tests.fake_openai import FakeOpenAIServer, completion, error


def ScriptedProvider(answer: Any, context_tokens: int = 8192) -> FunctionProvider:  # noqa: N802 - reads like the class it makes
    """A provider answering with ``answer(request)``, named as these tests expect."""
    return FunctionProvider(answer, context_tokens=context_tokens, name="scripted", model="fake")


WHO = GeneratedBy(provider="scripted", model="fake", prompt_id="brief", prompt_version="test")


def _brief(article_id: str, sentences: list[str]) -> ArticleBrief:
    """A brief built by hand for structural tests (not model output)."""
    points, offset = [], 0
    for number, sentence in enumerate(sentences, start=1):
        points.append(
            KeyPoint(text=sentence, evidence=sentence, sentence=number, span=Span(start=offset, end=offset + len(sentence)))
        )
        offset += len(sentence) + 1
    return ArticleBrief(
        article_id=article_id,
        source=f"{article_id}.txt",
        headline=f"Headline of {article_id}",
        summary=sentences[0],
        key_points=points,
        entities=[],
        quotes=[],
        dates=[],
        generated_by=WHO,
    )


A = _brief("a", ["Ministers met in Oslo on Thursday.", "The talks ended without a deal."])
B = _brief("b", ["Ministers met in Oslo on June 19, 2023.", "Officials called the talks a success."])
CONTEXT = build_synthesis_request([source_from_brief(A), source_from_brief(B)]).validation_context

VALID: dict[str, Any] = {
    "overview": {"t": "Ministers met in Oslo.", "k": ["1.1", "2.1"]},
    "themes": [{"t": "Ministers in Oslo", "k": ["1.1", "2.1"]}],
    "agree": [{"t": "Ministers met in Oslo.", "k": ["1.1", "2.1"]}],
    "disagree": [{"t": "The talks: without a deal, or a success.", "k": ["1.2", "2.2"]}],
    "events": [
        {"t": "Ministers met in Oslo", "k": ["2.1"], "when": "June 19, 2023"},
        {"t": "Ministers met", "k": ["1.1"], "when": "Thursday"},
    ],
    "actors": [{"name": "Ministers", "pos": [{"k": "1.1", "p": "Met in Oslo."}]}],
    "questions": ["Will there be a deal?"],
}


def _draft(**changes: Any) -> SynthesisDraft:
    return SynthesisDraft.model_validate({**VALID, **changes}, context=CONTEXT)


def test_a_valid_draft_passes() -> None:
    assert _draft().disagreements[0].refs == ["1.2", "2.2"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"themes": [{"t": "x", "k": ["3.1"]}]}, "3.1 is not one of the numbered points"),
        ({"disagree": [{"t": "x", "k": ["1.1", "1.2"]}]}, "a disagreement needs points from two or more different"),
        ({"agree": [{"t": "Ministers met in Oslo.", "k": ["1.1"]}]}, "an agreement needs points from two or more different"),
        ({"agree": [{"t": "Ministers met in Oslo.", "k": ["1.1", "2.2"]}]}, "points 2.2 share none of its words"),
        ({"disagree": [{"t": "Talks ended without a deal.", "k": ["1.2", "2.1"]}]}, "points 2.1 share none of its words"),
        ({"events": [{"t": "x", "k": ["1.1"], "when": "May 2, 2020"}]}, '"May 2, 2020" is not written in points 1.1'),
        ({"actors": [{"name": "Napoleon", "pos": [{"k": "1.1", "p": "x"}]}]}, "'Napoleon' is not named in points 1.1"),
        ({"overview": None}, "overview"),
        ({"themes": [{"t": "Peru's central bank raises rates", "k": ["1.1"]}]}, "most of its words are not in points 1.1"),
    ],
)
def test_a_draft_breaking_a_rule_fails_with_the_reason(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(reason)):
        _draft(**changes)


def test_the_final_synthesis_rejects_unknown_articles_and_one_sided_disagreements() -> None:
    base = synthesize([A, B], provider=ScriptedProvider(lambda request: VALID)).model_dump()
    unknown = json.loads(json.dumps(base))
    unknown["themes"][0]["citations"].append({"article_id": "zzz"})
    with pytest.raises(ValidationError, match="unknown article 'zzz'"):
        Synthesis.model_validate(unknown)
    one_sided = json.loads(json.dumps(base))
    one_sided["disagreements"][0]["citations"] = [{"article_id": "a"}]
    with pytest.raises(ValidationError, match="fewer than two articles"):
        Synthesis.model_validate(one_sided)


def test_citations_carry_the_verbatim_evidence_and_dates_say_how_they_were_derived() -> None:
    articles = [
        article_from_text("Ministers met in Oslo on Thursday. The talks ended without a deal.", article_id="a"),
        article_from_text("Ministers met in Oslo on June 19, 2023. Officials called the talks a success.", article_id="b"),
    ]
    synthesis = synthesize([A, B], articles=articles, provider=ScriptedProvider(lambda request: VALID))
    assert synthesis.disagreements[0].article_ids == ["a", "b"]
    assert synthesis.disagreements[0].citations[0].evidence == "The talks ended without a deal."
    dated, undated = synthesis.timeline  # ordered: dated events first
    assert (dated.date.value, dated.date.how) == ("2023-06-19", "stated in the article")
    assert undated.date.value is None
    assert "publication date is unknown" in undated.date.how  # article "a" has no publication date


def test_a_relative_date_is_anchored_on_the_articles_publication_date() -> None:
    dated_a = article_from_text(
        "Oslo talks\nBy Kari Nord | Oslo Post | Updated: 2023-06-23 10:00\n"
        "Ministers met in Oslo on Thursday. The talks ended without a deal.",
        article_id="a",
    )
    assert dated_a.published is not None and dated_a.published.isoformat() == "2023-06-23"
    synthesis = synthesize([A, B], articles=[dated_a], provider=ScriptedProvider(lambda request: VALID))
    thursday = next(event for event in synthesis.timeline if event.date.text == "Thursday")
    assert thursday.date.value == "2023-06-22"  # 2023-06-23 was a Friday
    assert "2023-06-23" in thursday.date.how and "byline" in thursday.date.how


def _cite_everything(request: ModelRequest[Any]) -> dict[str, Any]:
    """A fake answer that cites every point it was given, spread over the lists that allow it."""
    firsts = list(request.validation_context["points"])
    chunks = [firsts[i : i + 6] for i in range(0, len(firsts), 6)]
    themes, rest = chunks[:5], chunks[5:]
    agree, rest = rest[:4], rest[4:]
    events = [firsts[i : i + 4] for i in range(sum(len(c) for c in themes + agree), len(firsts), 4)]
    assert len(events) <= 8, "the test's groups are too large for one answer to cite them all"
    return {
        "overview": {"t": "The council voted.", "k": firsts[:10]},
        "themes": [{"t": f"The council voted ({n}).", "k": refs} for n, refs in enumerate(themes)],
        "agree": [{"t": f"The council voted [{n}].", "k": refs} for n, refs in enumerate(agree)],
        "disagree": [],
        "events": [{"t": f"Council voted, {n}.", "k": refs, "when": ""} for n, refs in enumerate(events)],
        "actors": [],
        "questions": [],
    }


def test_two_hundred_briefs_merge_hierarchically_within_the_context_budget() -> None:
    briefs = [
        _brief(
            f"art{n:03d}",
            [
                f"Article {n} reports that the council voted on measure {n} after a long debate "
                f"about funding, schools and roads in the district."
            ]
            * 1,
        )
        for n in range(200)
    ]
    provider = ScriptedProvider(_cite_everything, context_tokens=8192)
    synthesis = synthesize(briefs, provider=provider)
    assert synthesis.levels >= 2 and synthesis.calls == len(provider.requests) > 1
    assert all(request_tokens(request) <= provider.context_tokens for request in provider.requests)
    assert synthesis.article_ids == [brief.article_id for brief in briefs]
    assert synthesis.cited_article_ids() == {brief.article_id for brief in briefs}


def test_a_failed_group_is_reported_and_the_rest_still_merge() -> None:
    briefs = [
        _brief(
            f"art{n:03d}",
            [
                f"Article {n} reports the council voted on measure {n} after a long debate about funding "
                f"for schools and roads in the district council."
            ],
        )
        for n in range(60)
    ]
    calls = []

    def flaky(request: ModelRequest[Any]) -> dict[str, Any]:
        calls.append(request)
        if len(calls) == 2:
            return {"overview": "not an object"}  # fails validation: this group is lost, the others go on
        return _cite_everything(request)

    synthesis = synthesize(briefs, provider=ScriptedProvider(flaky, context_tokens=5200))
    assert len(synthesis.failed_groups) == 1
    lost = set(synthesis.failed_groups[0].article_ids)
    assert lost and synthesis.cited_article_ids() == {b.article_id for b in briefs} - lost


def test_a_one_sided_disagreement_is_re_asked_with_the_reason() -> None:
    bad = {**VALID, "disagree": [{"t": "The talks: without a deal, or a success.", "k": ["1.1", "1.2"]}]}
    with FakeOpenAIServer([completion(json.dumps(bad)), completion(json.dumps(VALID))]) as server:
        provider = OpenAICompatibleProvider(
            model="fake-model", base_url=server.base_url, api_key="sk-x", backoff_initial=0.01, backoff_max=0.02
        )
        synthesis = synthesize([A, B], provider=provider)
    assert len(server.requests) == 2
    assert "two or more different articles" in json.dumps(server.requests[1]["messages"])
    assert synthesis.disagreements[0].article_ids == ["a", "b"] and synthesis.usage.attempts == 2


def test_markdown_is_deterministic_and_every_reference_resolves() -> None:
    articles = [
        article_from_text(
            " ".join(s.evidence for s in brief.key_points), article_id=brief.article_id, source=f"{brief.article_id}.txt"
        )
        for brief in (A, B)
    ]
    synthesis = synthesize([A, B], articles=articles, provider=ScriptedProvider(lambda request: VALID))
    first = render_synthesis(synthesis, articles, "markdown")
    assert first == render_synthesis(synthesis, articles, "markdown")
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", first)}
    listed = {int(n) for n in re.findall(r"^(\d+)\. `", first, re.M)}
    assert cited == listed == {1, 2}
    assert "## Disagreements" in first and "The talks: without a deal, or a success. [1][2]" in first


def test_dated_key_points_join_the_timeline_with_dates_only_where_supported() -> None:
    c = _brief("c", ["Talks began last month in Oslo.", "A deal was signed on March 3, 2021."])
    d = _brief("d", ["The envoy arrived on Thursday.", "Nothing else happened."])
    no_events = {
        **VALID,
        "overview": {"t": "Talks in Oslo.", "k": ["1.1"]},
        "themes": [{"t": "Oslo talks", "k": ["1.1"]}],
        "agree": [],
        "disagree": [],
        "events": [],
        "actors": [],
    }
    dated_c = article_from_text(
        "Oslo\nBy Kari Nord | Oslo Post | Updated: 2021-04-10 09:00\n"
        "Talks began last month in Oslo. A deal was signed on March 3, 2021.",
        article_id="c",
    )
    synthesis = synthesize([c, d], articles=[dated_c], provider=ScriptedProvider(lambda request: no_events))
    assert [(e.date.text, e.date.value, e.origin) for e in synthesis.timeline] == [
        ("last month", "2021-03", "key point"),
        ("March 3, 2021", "2021-03-03", "key point"),
        ("Thursday", None, "key point"),  # article "d" has no publication date
    ]
    assert synthesis.timeline[2].citations[0].evidence == "The envoy arrived on Thursday."


def test_after_the_last_re_ask_the_valid_part_is_kept_and_the_rest_listed() -> None:
    bad = {**VALID, "disagree": [{"t": "The talks: without a deal, or a success.", "k": ["1.1", "1.2"]}]}
    with FakeOpenAIServer([completion(json.dumps(bad))] * 3) as server:
        provider = OpenAICompatibleProvider(
            model="fake-model", base_url=server.base_url, api_key="sk-x", max_reasks=2, backoff_initial=0.01, backoff_max=0.02
        )
        synthesis = synthesize([A, B], provider=provider)
    assert len(server.requests) == 2 and synthesis.usage.attempts == 2  # synthesis allows one re-ask, then salvages
    assert synthesis.disagreements == [] and synthesis.themes[0].text == "Ministers in Oslo"
    assert [(item.field, item.value) for item in synthesis.removed] == [("disagree", "The talks: without a deal, or a success.")]
    assert "two or more different articles" in synthesis.removed[0].reason


def test_an_unsupported_overview_is_replaced_by_the_first_supported_agreement_and_listed() -> None:
    from summarizer.synthesis.salvage import salvage_draft

    answer = {**VALID, "overview": {"t": "Peru's central bank raised rates.", "k": ["1.1", "2.1"]}}
    draft, dropped = salvage_draft(json.dumps(answer), CONTEXT)  # type: ignore[arg-type]
    assert (draft.overview.text, draft.overview.refs) == ("Ministers met in Oslo.", ["1.1", "2.1"])
    assert [(item.field, item.value) for item in dropped] == [("overview", "Peru's central bank raised rates.")]
    assert "the first supported claim is the overview instead" in dropped[0].reason


def test_an_answer_with_nothing_valid_is_still_a_failure() -> None:
    hopeless = {**VALID, "overview": {"t": "Ministers met.", "k": ["9.9"]}, "themes": [], "agree": []}
    with FakeOpenAIServer([completion(json.dumps(hopeless))] * 2) as server:
        provider = OpenAICompatibleProvider(
            model="fake-model", base_url=server.base_url, api_key="sk-x", max_reasks=1, backoff_initial=0.01, backoff_max=0.02
        )
        with pytest.raises(SummarizerError, match="9.9 is not one of the numbered points"):
            synthesize([A, B], provider=provider)


def test_a_re_ask_that_outgrows_the_context_still_keeps_the_valid_part_of_the_answer() -> None:
    bad = {**VALID, "disagree": [{"t": "The talks: without a deal, or a success.", "k": ["1.1", "1.2"]}]}
    replies = [completion(json.dumps(bad)), error(400, "request (8753 tokens) exceeds the available context size")]
    with FakeOpenAIServer(replies) as server:
        provider = OpenAICompatibleProvider(
            model="fake-model", base_url=server.base_url, api_key="sk-x", backoff_initial=0.01, backoff_max=0.02
        )
        synthesis = synthesize([A, B], provider=provider)
    assert len(server.requests) == 2
    assert synthesis.disagreements == [] and [item.field for item in synthesis.removed] == ["disagree"]


def test_salvage_removes_citations_of_points_that_do_not_exist() -> None:
    from summarizer.synthesis.salvage import salvage_draft

    answer = {
        **VALID,
        "overview": {"t": "Ministers met in Oslo.", "k": ["1.1", "7.5"]},
        "themes": [{"t": "Ministers in Oslo", "k": ["9.9"]}, {"t": "Oslo ministers", "k": ["2.1"]}],
    }
    draft, dropped = salvage_draft(json.dumps(answer), CONTEXT)  # type: ignore[arg-type]
    assert draft.overview.refs == ["1.1"] and [theme.text for theme in draft.themes] == ["Oslo ministers"]
    assert [(item.field, item.value) for item in dropped] == [
        ("overview", "Ministers met in Oslo. (cited 7.5)"),
        ("themes", "Ministers in Oslo (cited 9.9)"),
    ]


def test_a_written_date_beats_a_weekday_counted_from_publication() -> None:
    from summarizer.synthesis.sources import Anchor
    from summarizer.synthesis.timeline import _best_date

    sentence = "Artists will gather in Bucharest on Sunday, January 23, to raise money."
    best = _best_date(sentence, Anchor(dt.date(2005, 1, 20), "date line"), "m9")
    assert best is not None and (best.text, best.value) == ("January 23", "2005-01-23")
