"""``BriefDraft``: what the model writes for one article, and the checks that become re-asks.

The draft is compact (every output token costs about 0.1 s on the local
model) and cites the article by sentence number instead of copying text.
Its validators check those citations against the article's sentences,
passed in the validation context, so a bad citation becomes a re-ask with
the reason. The model's JSON keys are short (``key``, ``s``, ``by``); the
Python names say what they hold.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from summarizer.providers.base import StrictModel
from summarizer.text.sentences import split_sentences

HEADLINE_MAX = 100
SUMMARY_MAX = 320
NAME_MAX = 80
MAX_KEY_POINTS = 5
MAX_NAMES_PER_TYPE = 6
MAX_QUOTES = 3
MAX_SUMMARY_SENTENCES = 3


def _sentence_count(info: ValidationInfo) -> int | None:
    context = info.context or {}
    sentences = context.get("sentences")
    return len(sentences) if sentences is not None else None


def _check_sentence_number(number: int, info: ValidationInfo) -> int:
    count = _sentence_count(info)
    if count is not None and not 1 <= number <= count:
        raise ValueError(f"sentence {number} does not exist; the article has sentences 1 to {count}")
    return number


# No docstrings on the draft classes below unless they had one: a docstring is part
# of the JSON schema, and the schema is part of every recorded answer's key.
class DraftQuote(StrictModel):
    sentence: int = Field(alias="s", title="S", ge=1, description="Number of the sentence that holds the quotation marks.")
    speaker: str = Field(
        alias="by", title="By", min_length=1, max_length=NAME_MAX, description="Who said it, as named in the article."
    )

    _in_range = field_validator("sentence")(_check_sentence_number)


_Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]


class BriefDraft(StrictModel):
    """What the model writes: short free text, names, and sentence numbers.

    Every field is required so the grammar fixes the key order; short keys
    because each forced token still costs a decoding step.
    """

    headline: str = Field(min_length=1, max_length=HEADLINE_MAX)
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX, description="1 to 3 sentences.")
    key_sentences: list[int] = Field(
        alias="key", title="Key", min_length=1, max_length=MAX_KEY_POINTS, description="Sentence numbers of the key facts."
    )
    people: list[_Name] = Field(max_length=MAX_NAMES_PER_TYPE)
    orgs: list[_Name] = Field(max_length=MAX_NAMES_PER_TYPE)
    places: list[_Name] = Field(max_length=MAX_NAMES_PER_TYPE)
    quotes: list[DraftQuote] = Field(max_length=MAX_QUOTES)

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
