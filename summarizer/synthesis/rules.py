"""The checks a synthesis draft must pass against the numbered points it cites.

The points are passed in the validation context as ``{"points": {ref:
{"articles", "text", "names"}}}``; without them (schema checks alone) every
rule passes. A failed rule raises ``ValueError`` with the reason, which
becomes a re-ask, or, after the last one, a dropped item.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationInfo

from summarizer.text.matching import occurs_in, word_stems

# Words that say nothing about what a claim is about.
STOPWORDS = frozenset(
    """that this with from have were will their about which would there they been said says also more than into
    over after both other some such only what when where while these those then them each sources source article
    articles point points report reports""".split()
)


def _points(info: ValidationInfo) -> dict[str, Any] | None:
    return (info.context or {}).get("points")


def known_refs(refs: list[str], info: ValidationInfo) -> list[str]:
    """``refs`` without repeats; an error naming the first one that is not a numbered point."""
    points = _points(info)
    if points is None:
        return refs
    unknown = [ref for ref in refs if ref not in points]
    if unknown:
        raise ValueError(f"{unknown[0]} is not one of the numbered points; cite points from the sources, e.g. 1.1")
    return list(dict.fromkeys(refs))


def _passages_of(refs: list[str], info: ValidationInfo) -> str | None:
    points = _points(info)
    if points is None:
        return None
    return "\n".join(points[ref]["text"] for ref in refs)


def shares_words(claim: str, refs: list[str], info: ValidationInfo) -> None:
    """Most of a claim's content words must appear in the points it cites.

    Words are compared by their first six letters ("proposes" matches
    "proposed"). This catches a claim pinned on the wrong article, or copied
    from the worked example, at the price of asking paraphrases to keep the
    points' own words.
    """
    passages = _passages_of(refs, info)
    if passages is None:
        return
    words = word_stems(claim, STOPWORDS)
    found = [word for word in words if word in passages.casefold()]
    if words and len(found) * 2 <= len(words):
        raise ValueError(f"{claim[:60]!r}: most of its words are not in points {', '.join(refs)}; cite the points that say it")


def from_two_articles(refs: list[str], info: ValidationInfo, what: str) -> list[str]:
    """A cross-article claim must cite points of two or more different articles."""
    points = _points(info)
    if points is not None and len({article for ref in refs for article in points[ref]["articles"]}) < 2:
        raise ValueError(f"{what} needs points from two or more different articles")
    return refs


def each_source_shares_words(claim: str, refs: list[str], info: ValidationInfo, what: str) -> None:
    """Every source a cross-article claim cites must share at least one of its words (not only their union)."""
    words = word_stems(claim, STOPWORDS)
    for source in dict.fromkeys(ref.split(".")[0] for ref in refs):
        cited = [ref for ref in refs if ref.split(".")[0] == source]
        passages = _passages_of(cited, info)
        if passages is not None and words and not any(word in passages.casefold() for word in words):
            raise ValueError(
                f"{claim[:60]!r}: points {', '.join(cited)} share none of its words; "
                f"{what} needs each article it cites to say its part"
            )


def date_in_points(when: str, refs: list[str], info: ValidationInfo) -> None:
    """An event's date must be written in the points it cites (or be empty)."""
    passages = _passages_of(refs, info)
    if when.strip() and passages is not None and not occurs_in(when, passages):
        raise ValueError(f'"{when}" is not written in points {", ".join(refs)}; copy the date from them, or use ""')


def named_in_points(name: str, refs: list[str], info: ValidationInfo) -> None:
    """An actor must be named in the points its positions cite."""
    points = _points(info)
    if points is None:
        return
    names = "\n".join(points[ref]["names"] for ref in refs)
    if not occurs_in(name, names):
        raise ValueError(f"{name!r} is not named in points {', '.join(refs)}")
