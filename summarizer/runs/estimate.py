"""What a run would ask of the model, before asking: requests, tokens and cost, from the rendered prompts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from summarizer.brief.pipeline import brief_requests
from summarizer.brief.recipe import BRIEF_PROMPT_ID
from summarizer.prompts import get_prompt
from summarizer.providers.budget import estimate_tokens
from summarizer.providers.model_file import DEFAULT_MODEL
from summarizer.providers.prices import cost_of, load_prices
from summarizer.runs.context import RunContext
from summarizer.runs.day import load_day
from summarizer.stories.grouping import group_stories
from summarizer.synthesis.pipeline import (
    AGREEMENT_PARAMS,
    GROUPS_FOR_LARGE_CONTEXT,
    GROUPS_FOR_SMALL_CONTEXT,
    LARGE_CONTEXT_TOKENS,
    SYNTHESIS_PARAMS,
)

GROUP_TOKENS = 150  # an aligned group: two or three article sentences
SYNTHESIS_OVERHEAD_TOKENS = 900  # the synthesis prompt's instructions, worked example and leads
AGREEMENT_OVERHEAD_TOKENS = 250  # the agreement prompt's instructions around one group
SYNTHESIS_MODES = ("none", "one", "stories")


@dataclass(frozen=True)
class RunEstimate:
    """The requests, tokens and cost a run would need; ``cost`` is None when the model has no price.

    Synthesis requests are an upper bound: per synthesis one overview request
    and one agreement request per aligned group, up to the group limit
    (how many groups align is only known once the articles are parsed).
    """

    provider: str
    model: str
    articles: int
    unreadable: int
    brief_requests: int
    synthesis_requests: int
    prompt_tokens: int
    max_output_tokens: int
    cost: float | None
    copies: int = 0
    syntheses: int = 0
    groups_per_synthesis: int = 0
    batch_cost: float | None = None  # the same requests at the batch price

    @property
    def requests(self) -> int:
        """Every request, briefs and synthesis."""
        return self.brief_requests + self.synthesis_requests


def _model_name(context: RunContext) -> tuple[str, str]:
    """The provider and model the run asks: the context's own provider when it has one, else what the settings build."""
    if context.provider is not None:
        return context.provider.name, context.provider.model
    settings = context.settings
    provider = settings.provider_name()
    if provider == "openai":
        return provider, settings.api_model
    return provider, settings.model_path.stem if settings.model_path else DEFAULT_MODEL.name  # as LocalProvider names it


def estimate_run(inputs: Iterable[str | Path], context: RunContext, *, synthesis: str = "stories") -> RunEstimate:
    """Count the requests of the run ``context`` stands for over ``inputs``, without any model call.

    The same context as the run's, so the same dates and the same grouping
    (``--story-threshold``, ``--copy-threshold``) decide what is counted.

    ``synthesis``: ``none`` (briefs only), ``one`` (every article briefed and
    synthesized together, as ``summarize``), ``stories`` (as ``daily``: copies
    collapsed and briefed once, each story of two or more synthesized).
    Brief prompts are rendered exactly as they would be sent (one per
    article, or per part of a long one). Output tokens are the most each
    request may write, so the cost is an upper bound for a run without re-asks.
    """
    if synthesis not in SYNTHESIS_MODES:
        raise ValueError(f"synthesis must be one of {SYNTHESIS_MODES}, got {synthesis!r}")
    settings = context.settings
    provider, model = _model_name(context)
    context_tokens = settings.context_budget()
    prompt = get_prompt(BRIEF_PROMPT_ID, settings.prompts_dir)
    loaded, _ = load_day(inputs, context)
    articles = [item.article for item in loaded if item.article is not None]
    unreadable = len(loaded) - len(articles)
    if synthesis == "stories":
        stories = group_stories(articles, context.grouping)
        briefed = [article for story in stories for article in story.articles]
        story_sizes = [len(story.articles) for story in stories]
    else:
        briefed = articles
        story_sizes = [len(articles)] if synthesis == "one" else []
    requests = prompt_tokens = output_tokens = 0
    for article in briefed:
        for _, part in brief_requests(article, prompt, context_tokens):
            requests += 1
            prompt_tokens += sum(estimate_tokens(message["content"]) for message in part.messages)
            output_tokens += part.params.max_tokens
    groups = GROUPS_FOR_LARGE_CONTEXT if context_tokens >= LARGE_CONTEXT_TOKENS else GROUPS_FOR_SMALL_CONTEXT
    syntheses = sum(1 for size in story_sizes if size >= 2)
    synthesis_requests = syntheses * (1 + groups)
    per_synthesis = SYNTHESIS_OVERHEAD_TOKENS + groups * GROUP_TOKENS + groups * (AGREEMENT_OVERHEAD_TOKENS + GROUP_TOKENS)
    prompt_tokens += syntheses * per_synthesis
    output_tokens += syntheses * (SYNTHESIS_PARAMS.max_tokens + groups * AGREEMENT_PARAMS.max_tokens)
    prices = load_prices(settings.prices_path)
    cost = cost_of(prices, provider, model, prompt_tokens, 0, output_tokens)
    batch_cost = cost_of(prices, provider, model, prompt_tokens, 0, output_tokens, batch=True)
    return RunEstimate(
        provider,
        model,
        len(articles),
        unreadable,
        requests,
        synthesis_requests,
        prompt_tokens,
        output_tokens,
        cost,
        copies=len(articles) - len(briefed),
        syntheses=syntheses,
        groups_per_synthesis=groups,
        batch_cost=batch_cost,
    )
