"""Pydantic contracts for cross-article synthesis: the model-facing draft and the final ``Synthesis``.

As with briefs, the model never copies evidence: the prompt lists numbered
points ("1.2" = source 1, point 2), each standing on verbatim article
sentences, and the draft cites those numbers. Code turns the numbers into
citations (article id, sentence, evidence), so every claim rests on passages
the articles contain. The draft's validators read the valid points from the
validation context; a citation of an unknown point, a disagreement within
one article, a date not in the cited passages or an actor not named there
becomes a re-ask with that reason.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from summarizer.grounding import occurs_in, word_stems
from summarizer.schemas import GeneratedBy, RemovedItem, ResolvedDate, Usage

CLAIM_MAX = 220
OVERVIEW_MAX = 420

_Ref = Annotated[str, Field(pattern=r"^\d{1,3}\.\d{1,2}$", description="A point number such as 2.3.")]


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context or {}


def _check_refs(refs: list[str], info: ValidationInfo) -> list[str]:
    points = _context(info).get("points")
    if points is None:
        return refs
    unknown = [ref for ref in refs if ref not in points]
    if unknown:
        raise ValueError(f"{unknown[0]} is not one of the numbered points; cite points from the sources, e.g. 1.1")
    return list(dict.fromkeys(refs))


def _articles_of(refs: list[str], info: ValidationInfo) -> set[str] | None:
    points = _context(info).get("points")
    if points is None:
        return None
    return {article for ref in refs for article in points[ref]["articles"]}


def _passages_of(refs: list[str], info: ValidationInfo) -> str | None:
    points = _context(info).get("points")
    if points is None:
        return None
    return "\n".join(points[ref]["text"] for ref in refs)


_STOPWORDS = frozenset(
    """that this with from have were will their about which would there they been said says also more than into
    over after both other some such only what when where while these those then them each sources source article
    articles point points report reports""".split()
)


def _shares_words(claim: str, refs: list[str], info: ValidationInfo) -> None:
    """Most of a claim's content words must appear in the points it cites.

    Words are compared by their first six letters ("proposes" matches
    "proposed"). This catches a claim pinned on the wrong article, or copied
    from the worked example, at the price of asking paraphrases to keep the
    points' own words.
    """
    passages = _passages_of(refs, info)
    if passages is None:
        return
    words = word_stems(claim, _STOPWORDS)
    found = [word for word in words if word in passages.casefold()]
    if words and len(found) * 2 <= len(words):
        raise ValueError(
            f"{claim[:60]!r}: most of its words are not in points {', '.join(refs)}; cite the points that say it"
        )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftClaim(_Strict):
    t: str = Field(min_length=1, max_length=CLAIM_MAX, description="The claim, in one sentence.")
    k: list[_Ref] = Field(min_length=1, max_length=6, description="Points it rests on.")

    _refs_exist = field_validator("k")(_check_refs)

    @model_validator(mode="after")
    def _about_the_cited_points(self, info: ValidationInfo) -> DraftClaim:
        _shares_words(self.t, self.k, info)
        return self


class DraftOverview(DraftClaim):
    t: str = Field(min_length=1, max_length=OVERVIEW_MAX, description="2 or 3 sentences.")
    k: list[_Ref] = Field(min_length=1, max_length=10)


def _from_two_articles(refs: list[str], info: ValidationInfo, what: str) -> list[str]:
    articles = _articles_of(refs, info)
    if articles is not None and len(articles) < 2:
        raise ValueError(f"{what} needs points from two or more different articles")
    return refs


def _each_source_shares_words(claim: str, refs: list[str], info: ValidationInfo, what: str) -> None:
    """Every source a cross-article claim cites must share at least one of its words (not only their union)."""
    words = word_stems(claim, _STOPWORDS)
    for source in dict.fromkeys(ref.split(".")[0] for ref in refs):
        cited = [ref for ref in refs if ref.split(".")[0] == source]
        passages = _passages_of(cited, info)
        if passages is not None and words and not any(word in passages.casefold() for word in words):
            raise ValueError(f"{claim[:60]!r}: points {', '.join(cited)} share none of its words; "
                             f"{what} needs each article it cites to say its part")  # fmt: skip


class _CrossArticleClaim(DraftClaim):
    """A claim about two or more articles (an agreement or a disagreement): each cited article must say its part."""

    what: ClassVar[str] = "a cross-article claim"

    @field_validator("k")
    @classmethod
    def _two_articles(cls, refs: list[str], info: ValidationInfo) -> list[str]:
        return _from_two_articles(refs, info, cls.what)

    @model_validator(mode="after")
    def _each_article_says_its_part(self, info: ValidationInfo) -> _CrossArticleClaim:
        _each_source_shares_words(self.t, self.k, info, self.what)
        return self


class DraftAgreement(_CrossArticleClaim):
    what: ClassVar[str] = "an agreement"


class DraftDisagreement(_CrossArticleClaim):
    what: ClassVar[str] = "a disagreement"


class DraftEvent(_Strict):
    t: str = Field(min_length=1, max_length=CLAIM_MAX)
    k: list[_Ref] = Field(min_length=1, max_length=4)
    when: str = Field(max_length=40, description='The date as written in the cited points, or "".')

    _refs_exist = field_validator("k")(_check_refs)

    @model_validator(mode="after")
    def _date_in_cited_points(self, info: ValidationInfo) -> DraftEvent:
        _shares_words(self.t, self.k, info)
        passages = _passages_of(self.k, info)
        if self.when.strip() and passages is not None and not occurs_in(self.when, passages):
            raise ValueError(f'"{self.when}" is not written in points {", ".join(self.k)}; copy the date from them, or use ""')
        return self


class DraftPosition(_Strict):
    k: _Ref
    p: str = Field(min_length=1, max_length=CLAIM_MAX, description="What that point reports of the actor's position.")

    @field_validator("k")
    @classmethod
    def _ref_exists(cls, ref: str, info: ValidationInfo) -> str:
        _check_refs([ref], info)
        return ref

    @model_validator(mode="after")
    def _about_the_cited_point(self, info: ValidationInfo) -> DraftPosition:
        _shares_words(self.p, [self.k], info)
        return self


class DraftActor(_Strict):
    name: str = Field(min_length=1, max_length=80)
    pos: list[DraftPosition] = Field(min_length=1, max_length=4)

    @model_validator(mode="after")
    def _named_in_sources(self, info: ValidationInfo) -> DraftActor:
        points = _context(info).get("points")
        if points is None:
            return self
        names = "\n".join(points[position.k]["names"] for position in self.pos)
        if not occurs_in(self.name, names):
            raise ValueError(f"{self.name!r} is not named in points {', '.join(p.k for p in self.pos)}")
        return self


class SynthesisDraft(_Strict):
    """What the model writes: claims that cite numbered points, nothing copied."""

    overview: DraftOverview
    themes: list[DraftClaim] = Field(max_length=5)
    agree: list[DraftAgreement] = Field(max_length=4)
    disagree: list[DraftDisagreement] = Field(max_length=3)
    events: list[DraftEvent] = Field(max_length=8)
    actors: list[DraftActor] = Field(max_length=6)
    questions: list[Annotated[str, Field(min_length=1, max_length=CLAIM_MAX)]] = Field(max_length=3)


# --------------------------------------------------------------------------
# User-facing synthesis
# --------------------------------------------------------------------------


class Citation(BaseModel):
    """An article a claim rests on, and the verbatim passage where there is one."""

    article_id: str
    sentence: int | None = Field(default=None, description="Sentence number in the article (as in its brief).")
    evidence: str | None = Field(default=None, description="The article's sentence, verbatim.")


class Claim(BaseModel):
    text: str
    citations: list[Citation] = Field(min_length=1)

    @property
    def article_ids(self) -> list[str]:
        """The cited articles, each once, in citation order."""
        return list(dict.fromkeys(citation.article_id for citation in self.citations))


class TimelineEvent(Claim):
    date: ResolvedDate
    origin: Literal["model", "key point"] = Field(
        default="model", description="'key point': a brief's key point that states a date, added by code."
    )


class ActorPosition(Claim):
    """What the cited article(s) report of an actor's position."""


class Actor(BaseModel):
    name: str
    positions: list[ActorPosition]


class GroupFailure(BaseModel):
    """A group of articles whose synthesis call failed; the rest of the synthesis stands."""

    article_ids: list[str]
    error: str


class Synthesis(BaseModel):
    """What several articles say together; every claim cites the articles it rests on."""

    article_ids: list[str] = Field(description="Every article given to the synthesis.")
    overview: Claim
    themes: list[Claim]
    agreements: list[Claim]
    disagreements: list[Claim]
    timeline: list[TimelineEvent]
    actors: list[Actor]
    open_questions: list[str]
    failed_groups: list[GroupFailure] = Field(default_factory=list)
    removed: list[RemovedItem] = Field(default_factory=list)
    generated_by: GeneratedBy
    usage: Usage = Field(default_factory=Usage)
    calls: int = Field(default=1, description="Model calls made, across all levels.")
    levels: int = Field(default=1, description="1 = one call over all briefs; more = hierarchical merge.")

    def claims(self) -> list[Claim]:
        """Every claim, for checks that apply to all of them."""
        positions = [position for actor in self.actors for position in actor.positions]
        return [self.overview, *self.themes, *self.agreements, *self.disagreements, *self.timeline, *positions]

    @model_validator(mode="after")
    def _structural_rules(self) -> Synthesis:
        known = set(self.article_ids)
        for claim in self.claims():
            unknown = [article for article in claim.article_ids if article not in known]
            if unknown:
                raise ValueError(f"claim {claim.text!r} cites unknown article {unknown[0]!r}")
        for kind, claims in (("agreement", self.agreements), ("disagreement", self.disagreements)):
            for claim in claims:
                if len(claim.article_ids) < 2:
                    raise ValueError(f"{kind} {claim.text!r} cites fewer than two articles")
        return self

    def cited_article_ids(self) -> set[str]:
        """Every article at least one claim cites."""
        return {article for claim in self.claims() for article in claim.article_ids}


_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "themes": DraftClaim, "agree": DraftAgreement, "disagree": DraftDisagreement, "events": DraftEvent, "actors": DraftActor,
}  # fmt: skip


def salvage_draft(content: str, context: dict[str, Any]) -> tuple[SynthesisDraft, list[RemovedItem]]:
    """The valid part of a last answer that still failed validation, and what was dropped and why.

    The answer must be well-formed JSON of the right shape; items that break
    a rule (an unknown point, a one-sided disagreement, a date or name not in
    the cited points) are dropped one by one. An unsupported overview is
    replaced by the first supported agreement or theme (listed as dropped);
    with none of those, the answer fails.
    """
    data = json.loads(content)
    SynthesisDraft.model_validate(data)  # the shape must hold even without the points
    dropped: list[RemovedItem] = []
    known = context.get("points", {})
    for field_name, claim in [("overview", data["overview"]), *((name, item) for name in ("themes", "agree",
                              "disagree", "events") for item in data[name])]:  # fmt: skip
        unknown = [ref for ref in claim["k"] if ref not in known]
        if unknown:
            claim["k"] = [ref for ref in claim["k"] if ref in known]
            reason = "cited points that do not exist; those citations were removed"
            if not claim["k"] and field_name != "overview":
                claim["drop"] = True
                reason = "cites only points that do not exist"
            dropped.append(RemovedItem(field=field_name, value=f"{claim['t']} (cited {', '.join(unknown)})", reason=reason))
    for name in ("themes", "agree", "disagree", "events"):
        data[name] = [item for item in data[name] if not item.get("drop")]
    for field_name, model in _ITEM_MODELS.items():
        kept = []
        for item in data[field_name]:
            try:
                model.model_validate(item, context=context)
                kept.append(item)
            except ValidationError as exc:
                label = str(item.get("t") or item.get("name") or item)
                dropped.append(RemovedItem(field=field_name, value=label, reason=exc.errors()[0]["msg"]))
        data[field_name] = kept
    try:
        DraftOverview.model_validate(data["overview"], context=context)
    except ValidationError as exc:
        replacement = next(iter(data["agree"] + data["themes"]), None)
        if replacement is None:
            raise
        dropped.append(RemovedItem(field="overview", value=data["overview"]["t"],
                                   reason=f"{exc.errors()[0]['msg']}; the first supported claim is the overview instead"))  # fmt: skip
        data["overview"] = {"t": replacement["t"], "k": replacement["k"]}
    return SynthesisDraft.model_validate(data, context=context), dropped
