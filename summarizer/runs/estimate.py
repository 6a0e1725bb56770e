"""What a run would ask of the model, before asking: requests, tokens and cost, from the rendered prompts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from summarizer.brief.pipeline import brief_prompt, brief_requests
from summarizer.inputs.loading import iter_articles
from summarizer.providers.budget import estimate_tokens
from summarizer.providers.model_file import DEFAULT_MODEL
from summarizer.providers.prices import cost_of, load_prices
from summarizer.settings import DEFAULT_OPENAI_MODEL, Settings
from summarizer.synthesis.pipeline import (
    GROUPS_FOR_LARGE_CONTEXT,
    GROUPS_FOR_SMALL_CONTEXT,
    LARGE_CONTEXT_TOKENS,
    SYNTHESIS_PARAMS,
)

GROUP_TOKENS = 150  # an aligned group: two or three article sentences
SYNTHESIS_OVERHEAD_TOKENS = 900  # the synthesis prompt's instructions, worked example and leads


@dataclass(frozen=True)
class RunEstimate:
    """The requests, tokens and cost a run would need; ``cost`` is None when the model has no price."""

    provider: str
    model: str
    articles: int
    unreadable: int
    brief_requests: int
    synthesis_requests: int
    prompt_tokens: int
    max_output_tokens: int
    cost: float | None

    @property
    def requests(self) -> int:
        """Every request, briefs and synthesis."""
        return self.brief_requests + self.synthesis_requests


def estimate_run(inputs: Iterable[str | Path], settings: Settings, *, synthesis: bool) -> RunEstimate:
    """Count the requests of briefing (and, with ``synthesis``, synthesizing) ``inputs`` without any model call.

    Brief prompts are rendered exactly as they would be sent (one per
    article, or per part of a long one); the synthesis is estimated from
    the number of briefs. Output tokens are the most each request may write,
    so the cost is an upper bound for a run without re-asks.
    """
    provider = settings.provider_name()
    if provider == "openai":
        model = settings.model or DEFAULT_OPENAI_MODEL
    else:  # as LocalProvider names its model
        model = settings.model_path.stem if settings.model_path else DEFAULT_MODEL.name
    context = settings.context_budget()
    prompt = brief_prompt(settings)
    briefs = unreadable = requests = prompt_tokens = output_tokens = 0
    for loaded in iter_articles(inputs):
        if loaded.article is None:
            unreadable += 1
            continue
        briefs += 1
        for _, part in brief_requests(loaded.article, prompt, context):
            requests += 1
            prompt_tokens += sum(estimate_tokens(message["content"]) for message in part.messages)
            output_tokens += part.params.max_tokens
    synthesis_requests = 0
    if synthesis and briefs:
        groups = GROUPS_FOR_LARGE_CONTEXT if context >= LARGE_CONTEXT_TOKENS else GROUPS_FOR_SMALL_CONTEXT
        synthesis_requests = 1  # one request over the aligned groups, however many articles
        prompt_tokens += SYNTHESIS_OVERHEAD_TOKENS + groups * GROUP_TOKENS
        output_tokens += SYNTHESIS_PARAMS.max_tokens
    cost = cost_of(load_prices(settings.prices_path), provider, model, prompt_tokens, 0, output_tokens)
    return RunEstimate(provider, model, briefs, unreadable, requests, synthesis_requests, prompt_tokens, output_tokens, cost)
