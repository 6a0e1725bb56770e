"""Check a brief (or a synthesis) against the article text: deterministic, offline, item by item.

Quotes and evidence must be found verbatim (``exact``) or after normalising
whitespace, quote marks, dashes, ellipses and case (``normalised``), with
their character span in the article; otherwise ``not_found``. Names,
speakers and dates must occur in the article (``verified``/``unverified``),
and so must every number in the free text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from summarizer.errors import InputError
from summarizer.grounding import TYPOGRAPHY, number_occurs, numbers_in, occurs_in
from summarizer.schemas import Article, ArticleBrief, GroundingReport, ItemCheck, Span
from summarizer.synthesis_schema import Synthesis

def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` normalised for matching, and for each normalised character its index in ``text``.

    Quotes, dashes and ellipses are unified, whitespace runs become one
    space, leading/trailing whitespace goes, and case is folded.
    """
    characters: list[str] = []
    origins: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(characters)
            continue
        if pending_space:
            characters.append(" ")
            origins.append(index - 1)
            pending_space = False
        for folded in char.translate(TYPOGRAPHY).casefold():
            characters.append(folded)
            origins.append(index)
    return "".join(characters), origins


def normalise(text: str) -> str:
    """``text`` as ``normalise_with_map`` sees it."""
    return normalise_with_map(text)[0]


def locate(passage: str, text: str, hint: Span | None = None) -> tuple[str, Span | None]:
    """Find ``passage`` in ``text``: ("exact" | "normalised" | "not_found", its span)."""
    if hint is not None and text[hint.start : hint.end] == passage:
        return "exact", hint
    at = text.find(passage) if passage else -1
    if at >= 0:
        return "exact", Span(start=at, end=at + len(passage))
    wanted = normalise(passage)
    haystack, origins = normalise_with_map(text)
    at = haystack.find(wanted) if wanted else -1
    if at < 0:
        return "not_found", None
    return "normalised", Span(start=origins[at], end=origins[at + len(wanted) - 1] + 1)


def _passage_check(kind: str, passage: str, text: str, hint: Span | None) -> ItemCheck:
    verdict, span = locate(passage, text, hint)
    reason = "not in the article, even after normalising" if verdict == "not_found" else None
    return ItemCheck(kind=kind, value=passage, verdict=verdict, span=span, reason=reason)  # type: ignore[arg-type]


def _occurs_check(kind: str, value: str, text: str, reason: str) -> ItemCheck:
    found = occurs_in(value, text)
    return ItemCheck(kind=kind, value=value, verdict="verified" if found else "unverified", reason=None if found else reason)


def check_brief(brief: ArticleBrief, article: Article) -> list[ItemCheck]:
    """One verdict per quote, evidence passage, speaker, entity, date and free-text number."""
    text = article.text
    support = article.grounding_text  # instruction-like sentences cannot support a brief
    checks: list[ItemCheck] = []
    for point in brief.key_points:
        checks.append(_passage_check("evidence", point.evidence, text, point.span))
    for quote in brief.quotes:
        checks.append(_passage_check("quote", quote.text, text, quote.span))
        checks.append(_occurs_check("speaker", quote.speaker, support, "speaker is not named in the article"))
    for entity in brief.entities:
        checks.append(_occurs_check("entity", entity.name, support, "name does not occur in the article"))
    for date in brief.dates:
        checks.append(_occurs_check("date", date.text, support, "date is not written in the article"))
    free_text = [brief.headline, brief.summary, *(point.text for point in brief.key_points)]
    for number in dict.fromkeys(n for part in free_text for n in numbers_in(part)):
        found = number_occurs(number, support)
        checks.append(ItemCheck(kind="number", value=number, verdict="verified" if found else "unverified",
                                reason=None if found else "number is not written in the article"))  # fmt: skip
    return checks


def report_of(checks: Sequence[ItemCheck], *, removed: int = 0, reasks: int = 0) -> GroundingReport:
    """Counts per verdict and the failed items."""
    counts = Counter(check.verdict for check in checks)
    failed = [check for check in checks if check.verdict in ("not_found", "unverified")]
    return GroundingReport(counts=dict(sorted(counts.items())), failed=failed, removed=removed, reasks=reasks)


def verify_brief(brief: ArticleBrief, article: Article) -> GroundingReport:
    """The grounding report of ``brief`` against ``article``."""
    return report_of(check_brief(brief, article), removed=len(brief.removed), reasks=brief.usage.grounding_reasks)


def check_synthesis(synthesis: Synthesis, articles: Sequence[Article]) -> list[ItemCheck]:
    """Every citation's evidence must be found in the article it cites."""
    by_id = {article.id: article for article in articles}
    checks: list[ItemCheck] = []
    for claim in synthesis.claims():
        for citation in claim.citations:
            article = by_id.get(citation.article_id)
            if article is None:
                checks.append(ItemCheck(kind="citation", value=citation.article_id, verdict="unverified",
                                        reason="the cited article was not given"))  # fmt: skip
            elif citation.evidence:
                check = _passage_check("evidence", citation.evidence, article.text, None)
                checks.append(check.model_copy(update={"value": f"{citation.article_id}: {citation.evidence}"}))
    return checks


def check_result(data: dict[str, object], articles: Sequence[Article]) -> list[ItemCheck]:
    """Check a brief or a synthesis given as parsed JSON (ours, or any JSON in our schema).

    A brief is checked against the article with its ``article_id`` (or the
    only article given); a synthesis against the articles it cites.
    """
    if "key_points" in data:
        brief = ArticleBrief.model_validate(data)
        matching = [article for article in articles if article.id == brief.article_id]
        if not matching and len(articles) == 1:
            matching = list(articles)
        if not matching:
            raise InputError(f"no article with id {brief.article_id!r} among the articles given")
        return check_brief(brief, matching[0])
    if "themes" in data:
        return check_synthesis(Synthesis.model_validate(data), articles)
    raise InputError("not a brief or a synthesis (no 'key_points' or 'themes')")
