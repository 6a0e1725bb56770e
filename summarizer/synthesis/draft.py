"""``SynthesisDraft``: what the model writes for a group of sources, citing numbered points.

The prompt lists numbered points ("1.2" = source 1, point 2), each standing
on verbatim article sentences; the draft cites those numbers and copies
nothing. The validators apply ``rules`` against the points in the validation
context, so a citation of an unknown point, a one-sided disagreement, a date
not in the cited passages or an actor not named there becomes a re-ask with
that reason. JSON keys are the model's short ones (``t``, ``k``, ``pos``);
Python names say what they hold.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from summarizer.providers.base import StrictModel
from summarizer.synthesis.rules import (
    date_in_points,
    each_source_shares_words,
    from_two_articles,
    known_refs,
    named_in_points,
    shares_words,
)

CLAIM_MAX = 220
OVERVIEW_MAX = 420

_Ref = Annotated[str, Field(pattern=r"^\d{1,3}\.\d{1,2}$", description="A point number such as 2.3.")]


# No docstrings on the draft classes: a docstring is part of the JSON schema,
# and the schema is part of every recorded answer's key.
class DraftClaim(StrictModel):
    text: str = Field(alias="t", title="T", min_length=1, max_length=CLAIM_MAX, description="The claim, in one sentence.")
    refs: list[_Ref] = Field(alias="k", title="K", min_length=1, max_length=6, description="Points it rests on.")

    _refs_exist = field_validator("refs")(known_refs)

    @model_validator(mode="after")
    def _about_the_cited_points(self, info: ValidationInfo) -> DraftClaim:
        shares_words(self.text, self.refs, info)
        return self


class DraftOverview(DraftClaim):
    text: str = Field(alias="t", title="T", min_length=1, max_length=OVERVIEW_MAX, description="2 or 3 sentences.")
    refs: list[_Ref] = Field(alias="k", title="K", min_length=1, max_length=10)


class _CrossArticleClaim(DraftClaim):
    what: ClassVar[str] = "a cross-article claim"

    @field_validator("refs")
    @classmethod
    def _two_articles(cls, refs: list[str], info: ValidationInfo) -> list[str]:
        return from_two_articles(refs, info, cls.what)

    @model_validator(mode="after")
    def _each_article_says_its_part(self, info: ValidationInfo) -> _CrossArticleClaim:
        each_source_shares_words(self.text, self.refs, info, self.what)
        return self


class DraftAgreement(_CrossArticleClaim):
    what: ClassVar[str] = "an agreement"


class DraftDisagreement(_CrossArticleClaim):
    what: ClassVar[str] = "a disagreement"


class DraftEvent(StrictModel):
    text: str = Field(alias="t", title="T", min_length=1, max_length=CLAIM_MAX)
    refs: list[_Ref] = Field(alias="k", title="K", min_length=1, max_length=4)
    when: str = Field(max_length=40, description='The date as written in the cited points, or "".')

    _refs_exist = field_validator("refs")(known_refs)

    @model_validator(mode="after")
    def _date_in_cited_points(self, info: ValidationInfo) -> DraftEvent:
        shares_words(self.text, self.refs, info)
        date_in_points(self.when, self.refs, info)
        return self


class DraftPosition(StrictModel):
    ref: _Ref = Field(alias="k", title="K")
    text: str = Field(
        alias="p", title="P", min_length=1, max_length=CLAIM_MAX, description="What that point reports of the actor's position."
    )

    @field_validator("ref")
    @classmethod
    def _ref_exists(cls, ref: str, info: ValidationInfo) -> str:
        known_refs([ref], info)
        return ref

    @model_validator(mode="after")
    def _about_the_cited_point(self, info: ValidationInfo) -> DraftPosition:
        shares_words(self.text, [self.ref], info)
        return self


class DraftActor(StrictModel):
    name: str = Field(min_length=1, max_length=80)
    positions: list[DraftPosition] = Field(alias="pos", title="Pos", min_length=1, max_length=4)

    @model_validator(mode="after")
    def _named_in_sources(self, info: ValidationInfo) -> DraftActor:
        named_in_points(self.name, [position.ref for position in self.positions], info)
        return self


class SynthesisDraft(StrictModel):
    """What the model writes: claims that cite numbered points, nothing copied."""

    overview: DraftOverview
    themes: list[DraftClaim] = Field(max_length=5)
    agreements: list[DraftAgreement] = Field(alias="agree", title="Agree", max_length=4)
    disagreements: list[DraftDisagreement] = Field(alias="disagree", title="Disagree", max_length=3)
    events: list[DraftEvent] = Field(max_length=8)
    actors: list[DraftActor] = Field(max_length=6)
    questions: list[Annotated[str, Field(min_length=1, max_length=CLAIM_MAX)]] = Field(max_length=3)
