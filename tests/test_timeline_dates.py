"""The timeline's date rules, each on real sentences from the project's data (seeds and the M000 cluster)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from summarizer.brief.schema import ArticleBrief, GeneratedBy
from summarizer.inputs.loading import article_from_text
from summarizer.nlp.features import sentence_features
from summarizer.synthesis.material import gather_material
from summarizer.synthesis.timeline import sentence_date
from summarizer.text.dates import is_date_line, resolve_date

DATA = Path(__file__).parent / "data"
WHO = GeneratedBy(provider="test", model="none", prompt_id="brief", prompt_version="test")


def _own_dates(sentence: str) -> list[tuple[str, bool]]:
    (features,) = sentence_features([sentence])
    return [(date.text, date.own_event) for date in features.dates]


def test_a_month_and_day_without_a_year_never_resolves_after_publication() -> None:
    # M0002, published 2004-12-31, and M0008, published 2005-01-01, write "December 26" without a year.
    assert resolve_date("December 26", dt.date(2005, 1, 1)).value == "2004-12-26"
    assert resolve_date("December 26", dt.date(2004, 12, 31)).value == "2004-12-26"
    # M0009 (published 2005-01-18): "On Sunday, January 16, the Romanian public raised …"
    assert resolve_date("January 16", dt.date(2005, 1, 18)).value == "2005-01-16"


def test_a_headline_or_sentence_that_holds_a_date_is_not_a_date_line() -> None:
    assert is_date_line("Saturday, January 8, 2005")  # M0000's date line
    assert is_date_line("June 20, 2023 08:47 pm | Updated 08:47 pm IST")  # seed 002's
    # M0007 glues its date line to its first sentence; M0003's first sentence names a date.
    assert not is_date_line(
        "Saturday, March 26, 2005 Up to four times as many women as men died in the December 26 Indian Ocean Tsunami, "
        "figures published by Oxfam International today reveal."
    )
    assert not is_date_line(
        "According to new information about the earthquake of December 26, 2004, "
        "it was the longest-lasting earthquake ever recorded."
    )


def test_a_date_the_sentences_own_verb_carries_dates_the_event() -> None:
    sentence = (
        "On Sunday, January 16, the Romanian public raised the equivalent of 395,000 euro in a telethon, "
        "while the Romanian Government pledged 150,000 euro for the relief effort."
    )
    assert ("Sunday, January 16", True) in _own_dates(sentence)  # the weekday and the day are one date


def test_a_weekday_with_a_day_takes_the_year_it_falls_on_that_weekday() -> None:
    # M0009, published Thursday, January 20, 2005: the gathering is ahead, on Sunday, January 23, 2005.
    sentence = (
        "Several prominent Romanian artists and celebrities will gather at the Radio Hall in Bucharest on Sunday, "
        "January 23, to raise money for the victims of the catastrophic Indian Ocean tsunami of December 26, 2004."
    )
    assert ("Sunday, January 23", True) in _own_dates(sentence)
    assert resolve_date("Sunday, January 23", dt.date(2005, 1, 20)).value == "2005-01-23"
    # seed 002, published June 20, 2023, a Tuesday
    assert resolve_date("Tuesday (June 20)", dt.date(2023, 6, 20)).value == "2023-06-20"
    # a weekday no nearby year matches: the plain month-day rule, and the reason says so
    wrong = resolve_date("Monday, January 23", dt.date(2005, 1, 20))
    assert wrong.value == "2004-01-23" and "no year near it puts that day on a Monday" in wrong.how


def test_since_a_year_is_a_reference_point_not_the_events_date() -> None:
    # seed 002
    sentence = (
        "During Mr. Blinken's visit, the first to China by a U.S. Secretary of State since 2018, "
        "the nations agreed to temper rivalries to avoid conflict but there were no breakthroughs."
    )
    assert ("2018", False) in _own_dates(sentence)


def test_a_date_that_names_another_event_does_not_date_the_sentence() -> None:
    # M0007: "the December 26 Indian Ocean Tsunami" names the tsunami; M0003: "the earthquake of December 26, 2004".
    assert ("December 26", False) in _own_dates(
        "Up to four times as many women as men died in the December 26 Indian Ocean Tsunami, "
        "figures published by Oxfam International today reveal."
    )
    assert ("December 26, 2004", False) in _own_dates(
        "According to new information about the earthquake of December 26, 2004, "
        "it was the longest-lasting earthquake ever recorded."
    )


def test_a_sentence_with_no_date_of_its_own_is_reported_on_the_publication_date_else_not_established() -> None:
    text = (DATA / "M000" / "M0003.txt").read_text(encoding="utf-8")
    article = article_from_text(text, source="M0003.txt", article_id="M0003")
    brief = ArticleBrief(
        article_id="M0003", source="M0003.txt", headline="-", summary="-", key_points=[], entities=[], quotes=[], dates=[],
        generated_by=WHO,
    )  # fmt: skip
    material = gather_material([brief], [article])
    first = next(s for s in material.sentences if "earthquake of December 26, 2004" in s.text)
    date, basis = sentence_date(first, material) or (None, None)
    assert article.published == dt.date(2005, 5, 19)
    assert basis == "reported on" and date is not None and date.value == "2005-05-19"
    undated = gather_material([brief], [article.model_copy(update={"published": None})])
    first = next(s for s in undated.sentences if "earthquake of December 26, 2004" in s.text)
    assert sentence_date(first, undated) is not None
    assert sentence_date(first, undated)[1] == "not established"  # type: ignore[index]
