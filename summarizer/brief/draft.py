"""``BriefDraft``: what the model writes for one article, and the checks that become re-asks.

The draft is compact (every output token costs about 0.1 s on the local
model): the headline and summary, and numbers. It cites the article's
sentences and the quotations code found by number instead of copying text;
its validators check those numbers against the validation context
(``sentences``, and ``quotes``: how many quotations were listed), so a bad
citation becomes a re-ask with the reason. Names come from code, not from
the model.
"""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from summarizer.providers.base import StrictModel, validation_context_of
from summarizer.text.sentences import split_sentences

HEADLINE_MAX = 100
SUMMARY_MAX = 320
MAX_KEY_POINTS = 5
MAX_NAMES_PER_TYPE = 6  # names per type in a brief (found by code)
MAX_QUOTES = 3
MAX_SUMMARY_SENTENCES = 3


def _sentence_count(info: ValidationInfo) -> int | None:
    sentences = validation_context_of(info).get("sentences")
    return len(sentences) if sentences is not None else None


def _check_sentence_number(number: int, info: ValidationInfo) -> int:
    count = _sentence_count(info)
    if count is not None and not 1 <= number <= count:
        raise ValueError(f"sentence {number} does not exist; the article has sentences 1 to {count}")
    return number


def _check_quote_number(number: int, info: ValidationInfo) -> int:
    count = validation_context_of(info).get("quotes")
    if count is not None and not 1 <= number <= count:
        listed = f"the quotations are numbered 1 to {count}" if count else "the article has no numbered quotations"
        raise ValueError(f"quotation {number} does not exist; {listed}")
    return number


class BriefDraft(StrictModel):
    """What the model writes: short free text, and the numbers of the sentences and quotations that matter.

    Names, quotations and speakers are found by code; the model only
    chooses and phrases. Every field is required so the grammar fixes the
    key order.
    """

    headline: str = Field(min_length=1, max_length=HEADLINE_MAX)
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX, description="1 to 3 sentences.")
    key_sentences: list[int] = Field(
        alias="key", title="Key", min_length=1, max_length=MAX_KEY_POINTS, description="Sentence numbers of the key facts."
    )
    quotes: list[int] = Field(max_length=MAX_QUOTES, description="Numbers of the quotations that matter most.")

    @field_validator("quotes")
    @classmethod
    def _quotes_exist(cls, numbers: list[int], info: ValidationInfo) -> list[int]:
        for number in numbers:
            _check_quote_number(number, info)
        if len(set(numbers)) < len(numbers):
            raise ValueError("quotes lists a quotation twice")
        return numbers

    @field_validator("key_sentences")
    @classmethod
    def _key_sentences_exist(cls, numbers: list[int], info: ValidationInfo) -> list[int]:
        for number in numbers:
            _check_sentence_number(number, info)
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            raise ValueError(f"key lists sentence {duplicates[0]} twice; each key fact needs its own sentence")
        return numbers

    @field_validator("summary")
    @classmethod
    def _one_to_three_sentences(cls, value: str) -> str:
        count = len(split_sentences(value))
        if count > MAX_SUMMARY_SENTENCES:
            raise ValueError(f"summary has {count} sentences; write 1 to 3")
        return value
