"""Cross-article synthesis: from briefs to one ``Synthesis``, hierarchically when they do not fit.

Level 1 turns each brief into a *source* (``sources``). Sources are packed
into groups that fit the provider's context budget; each group gets one
model call. If there is more than one group, each group's synthesis becomes
a source of the next level, and so on until one remains. So 5 articles take
one call, and 500 take a few levels, no call exceeding the budget. Dated key
points join the timeline by code (``timeline``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from summarizer.brief.schema import ArticleBrief, GeneratedBy
from summarizer.concurrency import ordered_map
from summarizer.errors import InputError, RunError
from summarizer.inputs.article import Article
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import FlaggedItem, GenerationParams, ModelRequest, Provider, Usage
from summarizer.providers.budget import fits
from summarizer.providers.factory import provider_scope
from summarizer.settings import Settings, settings_for_call
from summarizer.synthesis.assemble import synthesis_from_draft
from summarizer.synthesis.draft import SynthesisDraft
from summarizer.synthesis.salvage import salvage_draft
from summarizer.synthesis.schema import GroupFailure, Synthesis
from summarizer.synthesis.sources import Anchor, Source, numbered, source_from_brief, source_from_synthesis
from summarizer.synthesis.timeline import timeline_from_briefs, with_key_point_events

SYNTHESIS_PROMPT_ID = "synthesize"
SYNTHESIS_PARAMS = GenerationParams(temperature=0.0, max_tokens=900, seed=0)
SYNTHESIS_MAX_REASKS = 1  # then salvage: a small model rarely fixes a long answer, and each re-ask grows the prompt
PROMPT_MARGIN_TOKENS = 200  # the token estimate is rough; keep clear of the edge


def build_synthesis_request(sources: Sequence[Source], prompt: Prompt | None = None) -> ModelRequest[SynthesisDraft]:
    """Render the synthesis prompt over ``sources`` into a provider request."""
    prompt = prompt or get_prompt(SYNTHESIS_PROMPT_ID)
    rendered, table = numbered(sources)
    context = {"points": table}
    return ModelRequest(
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        messages=prompt.render(sources=rendered),
        response_model=SynthesisDraft,
        params=SYNTHESIS_PARAMS,
        validation_context=context,
        salvage=lambda content: salvage_draft(content, context),
        max_reasks=SYNTHESIS_MAX_REASKS,
        subject="synthesis of " + ", ".join(dict.fromkeys(a for source in sources for a in source.article_ids))[:200],
    )


def _fits(sources: Sequence[Source], budget: int, prompt: Prompt) -> bool:
    return fits(build_synthesis_request(sources, prompt), budget, PROMPT_MARGIN_TOKENS)


def pack_groups(sources: Sequence[Source], budget: int, prompt: Prompt) -> list[list[Source]]:
    """Split ``sources`` into consecutive groups whose requests fit ``budget`` tokens."""
    groups: list[list[Source]] = []
    current: list[Source] = []
    for source in sources:
        if not _fits([source], budget, prompt):
            raise InputError(f"{source.label}: one source alone needs more than the provider's context of {budget:,} tokens")
        if current and not _fits([*current, source], budget, prompt):
            groups.append(current)
            current = []
        current.append(source)
    if current:
        groups.append(current)
    return groups


ProgressCallback = Callable[[str], None]


def _synthesize_group(group: Sequence[Source], provider: Provider, prompt: Prompt, anchors: dict[str, Anchor]) -> Synthesis:
    request = build_synthesis_request(group, prompt)
    result = provider.complete(request)
    generated_by = GeneratedBy(provider=result.provider, model=result.model, prompt_id=prompt.id, prompt_version=prompt.version)
    return synthesis_from_draft(result.output, group, anchors, generated_by, result.usage, result.dropped)


def synthesize_sources(
    sources: Sequence[Source],
    provider: Provider,
    anchors: dict[str, Anchor] | None = None,
    *,
    prompt: Prompt | None = None,
    progress: ProgressCallback | None = None,
    workers: int = 1,
) -> Synthesis:
    """Synthesize ``sources``, merging level by level until one synthesis remains.

    The groups of one level run with up to ``workers`` calls in flight; the
    result is the same as one after another.

    A group whose call fails is recorded in ``failed_groups`` and the rest
    go on; only when every group of a level fails is it an error.
    """
    if not sources:
        raise InputError("nothing to synthesize: no briefs")
    anchors = anchors or {}
    prompt = prompt or get_prompt(SYNTHESIS_PROMPT_ID)
    all_articles = list(dict.fromkeys(article for source in sources for article in source.article_ids))
    usage, calls, level = Usage(), 0, 0
    failures: list[GroupFailure] = []
    removed: list[FlaggedItem] = []
    current: list[Source] = list(sources)
    while True:
        level += 1
        groups = pack_groups(current, provider.context_tokens, prompt)
        if len(groups) == len(current) and len(current) > 1:
            raise InputError("the provider's context is too small to merge even two sources; use a larger context")
        partials: list[Synthesis] = []
        if progress:
            progress(f"synthesis level {level}: {len(groups)} group(s) of {len(current)} sources")

        def attempt(group: Sequence[Source]) -> Synthesis | RunError:
            try:
                return _synthesize_group(group, provider, prompt, anchors)
            except RunError as exc:
                return exc

        for group, partial in zip(groups, ordered_map(attempt, groups, workers), strict=True):
            calls += 1
            if isinstance(partial, RunError):
                failed_ids = list(dict.fromkeys(a for source in group for a in source.article_ids))
                failures.append(GroupFailure(article_ids=failed_ids, error=str(partial)))
                continue
            usage = usage + partial.usage
            removed.extend(partial.removed)
            partials.append(partial)
        if not partials:
            raise _every_group_failed(failures)
        if len(partials) == 1:
            final = partials[0]
            return final.model_copy(
                update={
                    "article_ids": all_articles,
                    "failed_groups": failures,
                    "usage": usage,
                    "calls": calls,
                    "levels": level,
                    "removed": removed,
                }
            )
        current = [source_from_synthesis(partial, f"group {n}") for n, partial in enumerate(partials, start=1)]


def _every_group_failed(failures: list[GroupFailure]) -> RunError:
    """The error for a synthesis where every group failed."""
    first = failures[0].error if failures else "no groups"
    return RunError(f"synthesis failed for every group ({len(failures)}); first error: {first}")


def synthesize(
    briefs: Sequence[ArticleBrief],
    *,
    articles: Sequence[Article] = (),
    provider: Provider | None = None,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
) -> Synthesis:
    """What several briefs say together: themes, agreements, disagreements, timeline, actors.

    ``articles`` (optional) give publication dates that anchor relative dates
    ("Thursday") in the timeline; without them such dates stay unresolved.
    With neither ``provider`` nor ``settings``, settings come from the
    environment; with either, the environment is not read.
    """
    anchors = {article.id: Anchor(article.published, article.published_from) for article in articles}
    sources = [source_from_brief(brief, anchors.get(brief.article_id)) for brief in briefs]
    chosen = settings_for_call(settings, provider_given=provider is not None)
    prompt = get_prompt(SYNTHESIS_PROMPT_ID, chosen.prompts_dir)
    with provider_scope(provider, chosen) as active:
        workers = chosen.workers_for(active.name)
        synthesis = synthesize_sources(sources, active, anchors, prompt=prompt, progress=progress, workers=workers)
    return with_key_point_events(synthesis, timeline_from_briefs(briefs, anchors))


async def synthesize_async(
    briefs: Sequence[ArticleBrief],
    *,
    articles: Sequence[Article] = (),
    provider: Provider | None = None,
    settings: Settings | None = None,
) -> Synthesis:
    """``synthesize`` run in a worker thread, for async callers."""
    return await asyncio.to_thread(synthesize, briefs, articles=articles, provider=provider, settings=settings)
