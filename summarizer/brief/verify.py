"""Check a brief (or a synthesis) against the article text: deterministic, offline, item by item.

Quotes and evidence must be found verbatim (``exact``) or after normalising
whitespace, quote marks, dashes, ellipses and case (``normalised``), with
their character span in the article; otherwise ``not_found``. Names,
speakers and dates must occur in the article (``verified``/``unverified``),
and so must every number in the free text. The headline and each summary
sentence must say what the article says (``meaning``: ``supported`` or
``unsupported``, by the support rules of ``checks/``), counted apart from
the word checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from summarizer.brief.attribution import attributed, unattributed_reason
from summarizer.brief.meaning import meaning_report
from summarizer.brief.schema import ArticleBrief, GroundingReport, ItemCheck, Span
from summarizer.inputs.article import Article
from summarizer.text.matching import locate, number_occurs, numbers_in, occurs_in


def passage_check(kind: str, passage: str, text: str, hint: Span | None = None) -> ItemCheck:
    """Whether ``passage`` is in ``text`` verbatim, after normalising, or not at all, with its span."""
    verdict, found = locate(passage, text, (hint.start, hint.end) if hint else None)
    reason = "not in the article, even after normalising" if verdict == "not_found" else None
    span = Span(start=found[0], end=found[1]) if found else None
    return ItemCheck(kind=kind, value=passage, verdict=verdict, span=span, reason=reason)


def _occurs_check(kind: str, value: str, text: str, reason: str) -> ItemCheck:
    found = occurs_in(value, text)
    return ItemCheck(kind=kind, value=value, verdict="verified" if found else "unverified", reason=None if found else reason)


def check_brief(brief: ArticleBrief, article: Article) -> list[ItemCheck]:
    """One verdict per quote, evidence passage, speaker, entity, date and free-text number."""
    text = article.text
    support = article.grounding_text  # instruction-like sentences cannot support a brief
    checks: list[ItemCheck] = []
    for point in brief.key_points:
        checks.append(passage_check("evidence", point.evidence, text, point.span))
    for quote in brief.quotes:
        checks.append(passage_check("quote", quote.text, text, quote.span))
        if quote.speaker is not None:
            at = quote.speaker_span
            written_there = at is not None and text[at.start : at.end] == quote.speaker and occurs_in(quote.speaker, support)
            found = written_there or attributed(quote.speaker, article, quote.sentence)
            reason = None if found else unattributed_reason(quote.speaker, article)
            checks.append(
                ItemCheck(kind="speaker", value=quote.speaker, verdict="verified" if found else "unverified", reason=reason)
            )
    for entity in brief.entities:
        checks.append(_occurs_check("entity", entity.name, support, "name does not occur in the article"))
    for date in brief.dates:
        checks.append(_occurs_check("date", date.text, support, "date is not written in the article"))
    checks.extend(meaning_report(brief.headline, brief.summary, article))
    free_text = [brief.headline, brief.summary, *(point.text for point in brief.key_points)]
    for number in dict.fromkeys(n for part in free_text for n in numbers_in(part)):
        found = number_occurs(number, support)
        checks.append(
            ItemCheck(
                kind="number",
                value=number,
                verdict="verified" if found else "unverified",
                reason=None if found else "number is not written in the article",
            )
        )
    return checks


def report_of(checks: Sequence[ItemCheck], *, removed: int = 0, reasks: int = 0) -> GroundingReport:
    """Counts per verdict and the failed items."""
    counts = Counter(check.verdict for check in checks)
    failed = [check for check in checks if check.verdict in ("not_found", "unverified", "unsupported")]
    return GroundingReport(counts=dict(sorted(counts.items())), failed=failed, removed_count=removed, reasks=reasks)


def verify_brief(brief: ArticleBrief, article: Article) -> GroundingReport:
    """The grounding report of ``brief`` against ``article``."""
    return report_of(check_brief(brief, article), removed=len(brief.removed), reasks=brief.usage.grounding_reasks)
