"""Sentence splitting, quotation spans and the text checks used on model output."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from summarizer.text.dates import derive_iso_date
from summarizer.text.matching import fix_initial_spacing, fold, occurs_in
from summarizer.text.quotations import find_quotations
from summarizer.text.sentences import split_sentences
from tests.conftest import SEEDS


def test_splitting_keeps_abbreviations_initials_and_ellipses_together() -> None:
    text = 'A senior U.S. defense official said Thursday. "We tried ... They refused," he said. Mr. Kim left.'
    assert [s.text for s in split_sentences(text)] == [
        "A senior U.S. defense official said Thursday.",
        '"We tried ... They refused," he said.',
        "Mr. Kim left.",
    ]


def test_spans_point_back_into_the_text() -> None:
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        for sentence in split_sentences(text):
            assert text[sentence.start : sentence.end] == sentence.text
            assert sentence.text == sentence.text.strip() and sentence.text


@given(st.lists(st.sampled_from(["Alpha beta.", "Gamma delta!", "Is it?", "Yes."]), min_size=1, max_size=8))
def test_every_word_lands_in_exactly_one_sentence(parts: list[str]) -> None:
    text = " ".join(parts)
    sentences = split_sentences(text)
    assert " ".join(s.text for s in sentences) == text
    assert len(sentences) == len(parts)


def test_quoted_spans_handle_straight_and_curly_quotes() -> None:
    text = 'He said "yes" and she said “no”.'
    assert [text[q.start : q.end] for q in find_quotations(text, min_words=1)] == ["yes", "no"]


def test_occurs_in_ignores_case_spacing_quotes_and_periods() -> None:
    article = "The U.S.  Defense Department’s chief met Kim Jong Un."
    assert occurs_in("US defense department's", article)
    assert occurs_in("kim jong un", article)
    assert not occurs_in("Kim Jong", "Kim Jongsu")  # whole words only
    assert not occurs_in("Xi Jinping", article)


def test_initials_spaced_apart_are_joined() -> None:
    assert fix_initial_spacing("U. S. officials and John F. Kennedy") == "U.S. officials and John F. Kennedy"


def test_iso_dates_only_from_a_full_date() -> None:
    assert derive_iso_date("June 19, 2023") == dt.date(2023, 6, 19)
    assert derive_iso_date("19 June 2023") == dt.date(2023, 6, 19)
    assert derive_iso_date("2016-11-08") == dt.date(2016, 11, 8)
    assert derive_iso_date("Thursday") is None
    assert derive_iso_date("June 2023") is None
    assert derive_iso_date("February 30, 2023") is None


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_relative_dates_resolve_only_against_a_publication_date() -> None:
    from summarizer.text.dates import resolve_date

    published = dt.date(2016, 11, 8)  # a Tuesday
    assert resolve_date("Thursday").value is None
    assert "publication date is unknown" in resolve_date("Thursday").how
    assert resolve_date("on Monday", published).value == "2016-11-07"
    assert resolve_date("Tuesday", published).value == "2016-11-08"
    assert resolve_date("last month", published).value == "2016-10"
    assert resolve_date("May", published).value == "2016-05"
    assert resolve_date("Last year", published).value == "2015"
    assert resolve_date("June 19, 2023").how == "stated in the article"
    assert resolve_date("2011").value == "2011" and resolve_date("2011").precision == "year"
    assert resolve_date("the weekend", published).value is None
