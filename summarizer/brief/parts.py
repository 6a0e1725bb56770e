"""Long articles: split on paragraph boundaries into parts that fit, brief each, merge the briefs.

A part is the same article with everything outside the part skipped, so
spans still point into the full text; sentence numbers are mapped back to
the whole article's numbering when the partial briefs are merged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from summarizer.brief.assemble import dates_in_article
from summarizer.brief.schema import ArticleBrief, Entity, KeyPoint, Quote
from summarizer.errors import InputError
from summarizer.inputs.article import Article, SkippedLine
from summarizer.providers.base import Usage
from summarizer.text.matching import fold
from summarizer.text.sentences import Sentence

MAX_MERGED_KEY_POINTS = 8
MAX_MERGED_SUMMARY_PARTS = 3


def _paragraphs(article: Article) -> list[list[Sentence]]:
    """The article's sentences grouped by the line they stand on (sentences never cross a line)."""
    paragraphs: dict[int, list[Sentence]] = {}
    for sentence in article.sentences:
        paragraphs.setdefault(article.text.rfind("\n", 0, sentence.start) + 1, []).append(sentence)
    return list(paragraphs.values())


def part_of(article: Article, start: int, end: int, number: int) -> Article:
    """``article`` restricted to the text range [start, end): the rest is skipped."""
    outside = [
        SkippedLine(start=0, end=start, text="", reason="another part"),
        SkippedLine(start=end, end=len(article.text) + 1, text="", reason="another part"),
    ]
    data = article.model_dump()
    data.update(id=f"{article.id}#part{number}", skipped_lines=[*data["skipped_lines"], *outside])
    # Its sentences are the whole article's within the range, renumbered (the split is shared, not redone).
    return Article.model_validate(data)


def split_into_parts(article: Article, fits: Callable[[Article], bool]) -> list[Article]:
    """Consecutive parts, each as many whole paragraphs as ``fits`` accepts."""
    paragraphs = _paragraphs(article)
    parts: list[Article] = []
    index = 0
    while index < len(paragraphs):
        taken = 1
        start = paragraphs[index][0].start
        while index + taken < len(paragraphs) and fits(
            part_of(article, start, paragraphs[index + taken][-1].end, len(parts) + 1)
        ):
            taken += 1
        candidate = part_of(article, start, paragraphs[index + taken - 1][-1].end, len(parts) + 1)
        if not fits(candidate):
            raise InputError(f"{article.source}: one paragraph alone exceeds the provider's context budget")
        parts.append(candidate)
        index += taken
    return parts


def merge_briefs(article: Article, briefs: Sequence[ArticleBrief]) -> ArticleBrief:
    """One brief from the parts' briefs: entities, quotes and dates deduplicated, key points combined.

    Key points keep article order (their spans); sentence numbers are
    renumbered to the whole article's.
    """
    number_at = {sentence.start: sentence.number for sentence in article.sentences}
    key_points: dict[int, KeyPoint] = {}
    for brief in briefs:
        for point in brief.key_points[: max(2, MAX_MERGED_KEY_POINTS // len(briefs))]:
            key_points.setdefault(point.span.start, point.model_copy(update={"sentence": number_at[point.span.start]}))
    quotes: dict[tuple[int, int], Quote] = {}
    for brief in briefs:
        for quote in brief.quotes:
            sentence = max((s for s in article.sentences if s.start <= quote.span.start), key=lambda s: s.start)
            quotes.setdefault((quote.span.start, quote.span.end), quote.model_copy(update={"sentence": sentence.number}))
    entities: dict[str, Entity] = {}
    for brief in briefs:
        for entity in brief.entities:
            entities.setdefault(fold(entity.name), entity)
    first = briefs[0]
    usage = sum((brief.usage for brief in briefs), Usage())
    return first.model_copy(
        update={
            "article_id": article.id,
            "summary": " ".join(brief.summary for brief in briefs[:MAX_MERGED_SUMMARY_PARTS]),
            "key_points": [key_points[start] for start in sorted(key_points)][:MAX_MERGED_KEY_POINTS],
            "entities": list(entities.values()),
            "quotes": [quotes[span] for span in sorted(quotes)],
            "dates": dates_in_article(article),
            "removed": [item for brief in briefs for item in brief.removed],
            "unverified": [item for brief in briefs for item in brief.unverified],
            "usage": usage,
            "parts": len(briefs),
        }
    )
