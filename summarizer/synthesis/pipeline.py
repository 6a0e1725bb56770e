"""Cross-article synthesis: code aligns, the model phrases, code cites.

1. Code gathers the articles' sentences and aligns them across articles
   (``align``): groups of sentences from several articles that report the
   same thing, the most central first, no near-repeats, within the budget.
2. Code finds where articles give different figures for the same thing
   (``discrepancies``), dates the events its sentences report (``timeline``),
   lists the actors several articles name (``actors``) and quotes each
   article's first sentence, so every source is heard.
3. The model gets small requests (``draft``): one sentence per group (what
   two or more of its articles report, given the shared part code cut out of
   one sentence, ``fusion``), then an overview and theme names over the
   groups and each article's lead. A larger-context model gets more groups.
4. Code checks and cites every sentence the model wrote (``compose``); what
   has no support is dropped and listed. A failed call loses only the prose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from summarizer.brief.recipe import Answerer
from summarizer.brief.schema import ArticleBrief, GeneratedBy
from summarizer.checks.summary import article_passages
from summarizer.concurrency import ordered_map
from summarizer.errors import InputError, RunError
from summarizer.files import content_hash
from summarizer.inputs.article import Article
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest, ModelResult, Provider, Usage, endpoint_host
from summarizer.providers.budget import fits
from summarizer.settings import Settings
from summarizer.synthesis.actors import find_actors
from summarizer.synthesis.align import AlignedGroup, Similarity, article_leads, candidate_groups
from summarizer.synthesis.anchoring import anchored_claim
from summarizer.synthesis.compose import compose
from summarizer.synthesis.discrepancies import describe, find_discrepancies
from summarizer.synthesis.draft import AgreementDraft, SynthesisDraft
from summarizer.synthesis.figures import describe_conflict, find_figures, quantity_of
from summarizer.synthesis.fusion import group_core
from summarizer.synthesis.material import ArticleSentence, Material, cited_claim, gather_material
from summarizer.synthesis.schema import Claim, FigureSeries, GroupFailure, Synthesis
from summarizer.synthesis.timeline import build_timeline
from summarizer.text.quotations import curly_double_quotes

SYNTHESIS_PROMPT_ID = "synthesize"
AGREEMENT_PROMPT_ID = "agree"
SYNTHESIS_PARAMS = GenerationParams(temperature=0.0, max_tokens=500, seed=0)
AGREEMENT_PARAMS = GenerationParams(temperature=0.0, max_tokens=120, seed=0)
SYNTHESIS_MAX_REASKS = 1
PROMPT_MARGIN_TOKENS = 200  # the token estimate is rough; keep clear of the edge
GROUPS_FOR_SMALL_CONTEXT = 6
GROUPS_FOR_LARGE_CONTEXT = 12
LARGE_CONTEXT_TOKENS = 32_000

ProgressCallback = Callable[[str], None]


def _article_numbers(material: Material) -> dict[str, int]:
    return {article_id: number for number, article_id in enumerate(material.article_ids, start=1)}


def build_synthesis_request(
    groups: Sequence[AlignedGroup], leads: Sequence[ArticleSentence], material: Material, prompt: Prompt | None = None
) -> ModelRequest[SynthesisDraft]:
    """The one synthesis request: the chosen groups and each article's lead sentence."""
    prompt = prompt or get_prompt(SYNTHESIS_PROMPT_ID)
    numbers = _article_numbers(material)
    rendered_groups = [
        {"n": n, "sentences": [{"article": numbers[s.article_id], "text": curly_double_quotes(s.text)} for s in group.sentences]}
        for n, group in enumerate(groups, start=1)
    ]
    rendered_leads = [{"article": numbers[s.article_id], "text": curly_double_quotes(s.text)} for s in leads]
    return ModelRequest.from_prompt(
        prompt,
        {"groups": rendered_groups, "leads": rendered_leads},
        SynthesisDraft,
        SYNTHESIS_PARAMS,
        max_reasks=SYNTHESIS_MAX_REASKS,
        subject="synthesis of " + ", ".join(material.article_ids)[:200],
    )


def build_agreement_request(
    group: AlignedGroup, prompt: Prompt | None = None, core: str | None = None
) -> ModelRequest[AgreementDraft]:
    """One small request: what two or more of a group's sentences report, with the shared ``core`` code cut out."""
    prompt = prompt or get_prompt(AGREEMENT_PROMPT_ID)
    variables = {
        "sentences": [curly_double_quotes(sentence.text) for sentence in group.sentences],
        "core": curly_double_quotes(core) if core else "",
    }
    return ModelRequest.from_prompt(
        prompt,
        variables,
        AgreementDraft,
        AGREEMENT_PARAMS,
        max_reasks=SYNTHESIS_MAX_REASKS,
        subject="agreement of " + ", ".join(group.article_ids)[:200],
    )


def _fitting(
    groups: list[AlignedGroup], leads: list[ArticleSentence], material: Material, budget: int, prompt: Prompt
) -> tuple[list[AlignedGroup], list[ArticleSentence], ModelRequest[SynthesisDraft]]:
    """The request with as many groups and leads as fit ``budget``: leads go first, then the least central groups."""
    while True:
        request = build_synthesis_request(groups, leads, material, prompt)
        if fits(request, budget, PROMPT_MARGIN_TOKENS):
            return groups, leads, request
        if leads:
            leads = leads[:-1]
        elif groups:
            groups = groups[:-1]
        else:
            raise InputError(f"the synthesis prompt alone needs more than the provider's context of {budget:,} tokens")


def _disagreements(material: Material, similarity: Similarity, figures: list[FigureSeries]) -> list[Claim]:
    """Different figures for one quantity reported on the same day: the figures' same-day conflicts, then the
    discrepancies code found between two articles published the same day (of another quantity). Figures of
    different days are a series ("How the figures moved"), never a disagreement.
    """
    claims = [
        Claim(text=describe_conflict(series, day, points), citations=[point.citation for point in points])
        for series in figures
        for day, points in series.conflicts()
    ]
    followed = {series.quantity for series in figures}
    for item in find_discrepancies(material, similarity):
        first, second = (material.published.get(s.article_id) for s in (item.first, item.second))
        if first is None or first != second or quantity_of(item.first_number) in followed:
            continue
        claims.append(cited_claim(describe(item, material), [item.first, item.second]))
    return claims


@dataclass(frozen=True)
class SynthesisRecipe:
    """The prompts a synthesis is made with, and how many of its agreement requests may be in flight."""

    overview: Prompt
    agreement: Prompt
    answerer: Answerer
    workers: int = 1

    @classmethod
    def of(cls, provider: Provider, settings: Settings) -> SynthesisRecipe:
        """The prompts of ``settings.prompts_dir``, ``provider``'s concurrency, and who answers."""
        return cls(
            get_prompt(SYNTHESIS_PROMPT_ID, settings.prompts_dir),
            get_prompt(AGREEMENT_PROMPT_ID, settings.prompts_dir),
            Answerer.of(provider, settings),
            settings.workers_for(provider.name),
        )

    def key(self, briefs: Sequence[ArticleBrief], articles: Sequence[Article]) -> str:
        """The cache key of the synthesis of ``briefs`` (and ``articles``) made this way: everything that shapes it."""
        return content_hash(
            {
                "briefs": [brief.model_dump(mode="json", exclude={"usage"}) for brief in briefs],
                "articles": [article.model_dump(mode="json") for article in articles],
                "prompts": [self.overview.digest, self.agreement.digest],
                "schema": content_hash(Synthesis.model_json_schema(), 16),
                "answerer": vars(self.answerer),
            }
        )


@dataclass
class _Plan:
    """What code found before any request: the material, its alignment, the groups and leads shown, the request."""

    material: Material
    similarity: Similarity
    groups: list[AlignedGroup]
    leads: list[ArticleSentence]
    cores: list[str | None]
    request: ModelRequest[SynthesisDraft]


@dataclass
class _Answers:
    """What the model wrote (the overview's draft, one sentence per group), what it cost, and what failed."""

    generated_by: GeneratedBy
    draft: SynthesisDraft | None = None
    agreements: list[str | None] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    failures: list[GroupFailure] = field(default_factory=list)


def synthesize_with(
    briefs: Sequence[ArticleBrief],
    articles: Sequence[Article],
    provider: Provider,
    recipe: SynthesisRecipe,
    progress: ProgressCallback | None = None,
) -> Synthesis:
    """What several articles say together: code aligns (``_plan``), the model phrases (``_ask``), code cites (``compose``).

    ``articles`` (the briefed articles) let the synthesis work from all their
    sentences and date events against their publication dates; without
    them it works from the briefs' key points.
    """
    plan = _plan(briefs, articles, provider.context_tokens, recipe.overview)
    if progress:
        progress(f"synthesis: {len(plan.groups)} aligned group(s), {len(plan.leads)} lead(s) for the model")
    answers = _ask(plan, provider, recipe)
    composed = compose(answers.draft, answers.agreements, plan.groups, plan.leads, plan.cores)
    material = plan.material
    passages = [passage for article in articles for passage in article_passages(article)]
    figures = find_figures(passages, material.published, material.published_from)
    return Synthesis(
        article_ids=list(material.article_ids),
        overview=anchored_claim(composed.overview, material.published, "overview", composed.removed),
        themes=composed.themes,
        agreements=composed.agreements,
        disagreements=_disagreements(material, plan.similarity, figures),
        article_leads=[cited_claim(sentence.text, [sentence]) for sentence in material.first_sentences()],
        timeline=build_timeline(material, plan.groups, plan.similarity),
        figures=figures,
        actors=find_actors(briefs, passages),
        failed_groups=answers.failures,
        removed=composed.removed,
        unverified=composed.unverified,
        generated_by=answers.generated_by,
        usage=answers.usage,
        calls=1 + len(plan.groups),
    )


def _plan(briefs: Sequence[ArticleBrief], articles: Sequence[Article], context_tokens: int, prompt: Prompt) -> _Plan:
    """Gather and align the sentences; choose the groups and leads that fit the context; cut out each group's core."""
    if not briefs:
        raise InputError("nothing to synthesize: no briefs")
    material = gather_material(briefs, articles)
    if not material.sentences:
        raise InputError("nothing to synthesize: the briefs give no sentences")
    similarity = Similarity(material)
    limit = GROUPS_FOR_LARGE_CONTEXT if context_tokens >= LARGE_CONTEXT_TOKENS else GROUPS_FOR_SMALL_CONTEXT
    groups = candidate_groups(material, similarity, limit)
    leads = article_leads(material, groups)
    groups, leads, request = _fitting(groups, leads, material, context_tokens, prompt)
    return _Plan(material, similarity, groups, leads, [group_core(group) for group in groups], request)


def _ask(plan: _Plan, provider: Provider, recipe: SynthesisRecipe) -> _Answers:
    """The overview request, then one agreement request per group (several in flight); a failed call loses its prose only."""
    prompt = recipe.overview
    answers = _Answers(GeneratedBy(provider=provider.name, model="", prompt_id=prompt.id, prompt_version=prompt.version))
    try:
        result = provider.complete(plan.request)
        answers.draft, answers.usage = result.output, result.usage
        answers.generated_by = answers.generated_by.model_copy(
            update={"provider": result.provider, "model": result.model, "endpoint": endpoint_host(result.endpoint)}
        )
    except RunError as exc:
        answers.failures.append(GroupFailure(article_ids=list(plan.material.article_ids), error=str(exc)))

    def phrase(group_and_core: tuple[AlignedGroup, str | None]) -> ModelResult[AgreementDraft] | RunError:
        group, core = group_and_core
        try:
            return provider.complete(build_agreement_request(group, recipe.agreement, core))
        except RunError as exc:
            return exc

    pairs = list(zip(plan.groups, plan.cores, strict=True))
    for group, answer in zip(plan.groups, ordered_map(phrase, pairs, recipe.workers), strict=True):
        if isinstance(answer, RunError):
            answers.failures.append(GroupFailure(article_ids=group.article_ids, error=str(answer)))
            answers.agreements.append(None)
        else:  # usage is summed here, in order, not in the worker threads
            answers.usage = answers.usage + answer.usage
            answers.agreements.append(answer.output.text)
    return answers
