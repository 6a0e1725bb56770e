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

from summarizer.brief.schema import ArticleBrief, GeneratedBy
from summarizer.concurrency import ordered_map, run_shared
from summarizer.errors import InputError, RunError
from summarizer.inputs.article import Article
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest, ModelResult, Provider, Usage, endpoint_host
from summarizer.providers.budget import fits
from summarizer.providers.factory import provider_scope
from summarizer.settings import Settings, settings_for_call
from summarizer.synthesis.actors import find_actors
from summarizer.synthesis.align import AlignedGroup, Similarity, article_leads, candidate_groups
from summarizer.synthesis.compose import compose
from summarizer.synthesis.discrepancies import describe, find_discrepancies
from summarizer.synthesis.draft import AgreementDraft, SynthesisDraft
from summarizer.synthesis.fusion import group_core
from summarizer.synthesis.material import ArticleSentence, Material, cited_claim, gather_material
from summarizer.synthesis.schema import Claim, GroupFailure, Synthesis
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
    return ModelRequest(
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        messages=prompt.render(groups=rendered_groups, leads=rendered_leads),
        response_model=SynthesisDraft,
        params=SYNTHESIS_PARAMS,
        max_reasks=SYNTHESIS_MAX_REASKS,
        subject="synthesis of " + ", ".join(material.article_ids)[:200],
    )


def build_agreement_request(
    group: AlignedGroup, prompt: Prompt | None = None, core: str | None = None
) -> ModelRequest[AgreementDraft]:
    """One small request: what two or more of a group's sentences report, with the shared ``core`` code cut out."""
    prompt = prompt or get_prompt(AGREEMENT_PROMPT_ID)
    return ModelRequest(
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        messages=prompt.render(
            sentences=[curly_double_quotes(sentence.text) for sentence in group.sentences],
            core=curly_double_quotes(core) if core else "",
        ),
        response_model=AgreementDraft,
        params=AGREEMENT_PARAMS,
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


def _disagreements(material: Material, similarity: Similarity) -> list[Claim]:
    return [cited_claim(describe(item, material), [item.first, item.second]) for item in find_discrepancies(material, similarity)]


def synthesize(
    briefs: Sequence[ArticleBrief],
    *,
    articles: Sequence[Article] = (),
    provider: Provider | None = None,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
) -> Synthesis:
    """What several articles say together: overview, themes, agreements, disagreements, timeline, actors.

    ``articles`` (the briefed articles) let the synthesis work from all their
    sentences and date events against their publication dates; without
    them it works from the briefs' key points. With neither ``provider``
    nor ``settings``, settings come from the environment; with either, the
    environment is not read.
    """
    if not briefs:
        raise InputError("nothing to synthesize: no briefs")
    material = gather_material(briefs, articles)
    if not material.sentences:
        raise InputError("nothing to synthesize: the briefs give no sentences")
    similarity = Similarity(material)
    chosen = settings_for_call(settings, provider_given=provider is not None)
    prompt = get_prompt(SYNTHESIS_PROMPT_ID, chosen.prompts_dir)
    with provider_scope(provider, chosen) as active:
        limit = GROUPS_FOR_LARGE_CONTEXT if active.context_tokens >= LARGE_CONTEXT_TOKENS else GROUPS_FOR_SMALL_CONTEXT
        groups = candidate_groups(material, similarity, limit)
        leads = article_leads(material, groups)
        groups, leads, request = _fitting(groups, leads, material, active.context_tokens, prompt)
        if progress:
            progress(f"synthesis: {len(groups)} aligned group(s), {len(leads)} lead(s) for the model")
        failures: list[GroupFailure] = []
        usage, draft = Usage(), None
        generated_by = GeneratedBy(provider=active.name, model="", prompt_id=prompt.id, prompt_version=prompt.version)
        try:
            result = active.complete(request)
            draft, usage = result.output, result.usage
            generated_by = generated_by.model_copy(
                update={"provider": result.provider, "model": result.model, "endpoint": endpoint_host(result.endpoint)}
            )
        except RunError as exc:
            failures.append(GroupFailure(article_ids=list(material.article_ids), error=str(exc)))
        agreement_prompt = get_prompt(AGREEMENT_PROMPT_ID, chosen.prompts_dir)

        cores = [group_core(group) for group in groups]

        def phrase(group_and_core: tuple[AlignedGroup, str | None]) -> ModelResult[AgreementDraft] | RunError:
            group, core = group_and_core
            try:
                return active.complete(build_agreement_request(group, agreement_prompt, core))
            except RunError as exc:
                return exc

        agreements: list[str | None] = []
        for group, answer in zip(
            groups, ordered_map(phrase, list(zip(groups, cores, strict=True)), chosen.workers_for(active.name)), strict=True
        ):
            if isinstance(answer, RunError):
                failures.append(GroupFailure(article_ids=group.article_ids, error=str(answer)))
                agreements.append(None)
            else:  # usage is summed here, in order, not in the worker threads
                usage = usage + answer.usage
                agreements.append(answer.output.text)
    composed = compose(draft, agreements, groups, leads, cores)
    return Synthesis(
        article_ids=list(material.article_ids),
        overview=composed.overview,
        themes=composed.themes,
        agreements=composed.agreements,
        disagreements=_disagreements(material, similarity),
        article_leads=[cited_claim(sentence.text, [sentence]) for sentence in material.first_sentences()],
        timeline=build_timeline(material, groups, similarity),
        actors=find_actors(briefs),
        failed_groups=failures,
        removed=composed.removed,
        generated_by=generated_by,
        usage=usage,
        calls=1 + len(groups),
    )


async def synthesize_async(
    briefs: Sequence[ArticleBrief],
    *,
    articles: Sequence[Article] = (),
    provider: Provider | None = None,
    settings: Settings | None = None,
) -> Synthesis:
    """``synthesize`` for async callers, in the shared pool of ``Settings.concurrency`` threads (see ``brief_article_async``)."""
    chosen = settings_for_call(settings, provider_given=provider is not None)
    workers = chosen.workers_for(provider.name if provider is not None else chosen.provider_name())
    return await run_shared(workers, synthesize, briefs, articles=articles, provider=provider, settings=settings)
