"""How a story's figures moved: each counted quantity, its values by the day they were reported, and same-day conflicts.

Code reads every number the articles give for something (``CountedNumber``:
its value, what it counts, the words around it) and files it under a
quantity: what is counted ("deaths" for a toll, the dead, victims, people
killed; else the counted noun with its verb) and where (the places named
with it, leaving out those most of the story's articles name, which are
the story's setting, not a part of it: "Aceh province alone" is not the
whole toll). A value a sentence only expects ("could climb to 150,000") is
kept, marked, and never compared. Each mention is dated by its article's
publication date. A quantity reported on two or more days is a *series*
("How the figures moved"); two different values for one quantity on the
same day are a *conflict*, a real disagreement. Values of different days
are never set against each other: a toll that rose is not a dispute.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.checks.passage import ArticlePassage
from summarizer.checks.support import shown_name
from summarizer.nlp.features import CountedNumber
from summarizer.nlp.quantities import quantity_of
from summarizer.synthesis.schema import Citation, FigurePoint, FigureSeries

_EXPECTED = re.compile(r"\b(?:could|may|might|would|expect(?:s|ed)?|fear(?:s|ed)?|likely|predict(?:s|ed)?)\b", re.I)
EXPECTATION_WINDOW = 60  # characters before a figure in which "could", "may", "expected" make it a forecast
MIN_SETTING_SHARE = 0.5  # a place named by at least this share of the story's articles is its setting
MAX_SERIES = 5


@dataclass(frozen=True)
class _Mention:
    passage: ArticlePassage
    number: CountedNumber
    quantity: str
    scope: frozenset[str]
    reported: dt.date | None
    expected: bool


def _expected(passage: ArticlePassage, number: CountedNumber) -> bool:
    at = passage.text.find(number.phrase)
    before = passage.text[max(0, at - EXPECTATION_WINDOW) : at] if at >= 0 else passage.text
    return bool(_EXPECTED.search(before))


def _setting(passages: Sequence[ArticlePassage], article_count: int) -> frozenset[str]:
    """Names most of the story's articles give: where the story happens, not a part of it."""
    named_by: dict[str, set[str]] = defaultdict(set)
    for passage in passages:
        for name in passage.features.names:
            named_by[name].add(passage.article_id)
    needed = max(2, MIN_SETTING_SHARE * article_count)
    return frozenset(name for name, ids in named_by.items() if len(ids) >= needed)


def _scope(passage: ArticlePassage, number: CountedNumber, setting: frozenset[str]) -> frozenset[str]:
    """The places a figure is counted in: its names beyond the setting, and any it says "alone" of."""
    alone = {name for name in number.names if re.search(rf"\b{re.escape(name)}\W+alone\b", passage.text, re.I)}
    return frozenset(number.names - setting) | alone


def _mentions(passages: Sequence[ArticlePassage], published: dict[str, dt.date | None]) -> list[_Mention]:
    article_count = len({passage.article_id for passage in passages})
    setting = _setting(passages, article_count)
    return [
        _Mention(
            passage,
            number,
            quantity_of(number),
            _scope(passage, number, setting),
            published.get(passage.article_id),
            _expected(passage, number),
        )
        for passage in passages
        for number in passage.features.numbers
        if number.unit  # a bare number counts nothing we can name
    ]


def _point(mention: _Mention, published_from: dict[str, str | None]) -> FigurePoint:
    passage = mention.passage
    at = passage.text.find(mention.number.phrase)
    derivation = published_from.get(passage.article_id)
    return FigurePoint(
        value=mention.number.value,
        text=mention.number.phrase,
        date=mention.reported.isoformat() if mention.reported else None,
        date_from=f"the publication date of {passage.article_id}" + (f", from its {derivation}" if derivation else ""),
        expected=mention.expected,
        citation=Citation(article_id=passage.article_id, sentence=passage.number, evidence=passage.text),
        named_with=sorted(mention.number.names),
        start=passage.start + at if at >= 0 else None,
        end=passage.start + at + len(mention.number.phrase) if at >= 0 else None,
    )


def figure_series(
    passages: Sequence[ArticlePassage], published: dict[str, dt.date | None], published_from: dict[str, str | None]
) -> list[FigureSeries]:
    """Every quantity the passages give a counted value for, each with its points oldest first (nothing left out)."""
    by_quantity: dict[tuple[str, frozenset[str]], list[_Mention]] = defaultdict(list)
    for mention in _mentions(passages, published):
        if mention.reported is not None:
            by_quantity[(mention.quantity, mention.scope)].append(mention)
    found: list[FigureSeries] = []
    for (quantity, scope), mentions in by_quantity.items():
        ordered = sorted(mentions, key=lambda m: (m.reported or dt.date.min, m.passage.article_id, m.passage.number))
        found.append(FigureSeries(quantity=quantity, scope=sorted(scope), points=[_point(m, published_from) for m in ordered]))
    return found


def find_figures(
    passages: Sequence[ArticlePassage], published: dict[str, dt.date | None], published_from: dict[str, str | None]
) -> list[FigureSeries]:
    """Every quantity the story's articles give on two or more days, or give differently on one; points oldest first.

    ``passages``: every sentence of the story's articles; ``published``
    and ``published_from``: each article's publication date and where it
    was read (a mention of an undated article has no day and is left
    out). Quantities reported by more articles come first.
    """
    found: list[FigureSeries] = []
    for series in figure_series(passages, published, published_from):
        reported = [point for point in series.points if not point.expected]
        moved = len({point.date for point in reported}) >= 2 and len({point.value for point in reported}) >= 2
        if moved or series.conflicts():
            found.append(series)
    found.sort(key=lambda s: (-len({p.citation.article_id for p in s.points}), -len(s.points), s.quantity))
    return found[:MAX_SERIES]


def describe_conflict(series: FigureSeries, day: str, points: Sequence[FigurePoint]) -> str:
    """A same-day conflict in words: each figure as written, once per source, with its article and the names said with it."""
    where = f" in {', '.join(series.scope)}" if series.scope else ""
    sides = dict.fromkeys(f'"{point.text}" ({_given_by(point)})' for point in points)
    return f"On {day} the articles give different figures for {series.quantity}{where}: {', '.join(sides)}."


def _given_by(point: FigurePoint) -> str:
    names = f", naming {', '.join(shown_name(name) for name in point.named_with)}" if point.named_with else ""
    return point.citation.article_id + names
