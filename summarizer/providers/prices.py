"""What a model's tokens cost: published prices (genai-prices), which a user's table overrides.

Prices come from ``genai-prices`` (the per-token price data pydantic-ai
uses, pinned, read offline from its snapshot), including the batch price
(``processing: batch``, half the synchronous one at OpenAI). A JSON file
named by ``SUMMARIZER_PRICES`` (``{"model": {"input": …, "cached_input":
…, "output": …}}``, US dollars per million tokens, the synchronous price;
a batch request is charged half of it) adds or overrides models. A model
with no price has no cost: the ledger shows its tokens and "price
unknown", never a made-up figure. The embedded local model costs nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from genai_prices import Usage as GenaiUsage
from genai_prices import calc_price

from summarizer.errors import ConfigError


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    cached_input: float
    output: float

    def cost(self, prompt_tokens: int, cached_tokens: int, output_tokens: int) -> float:
        """The cost of one request's tokens."""
        fresh = max(prompt_tokens - cached_tokens, 0)
        return (fresh * self.input + cached_tokens * self.cached_input + output_tokens * self.output) / 1_000_000


FREE_PROVIDERS = frozenset({"local"})
BATCH_PROVIDER = "batch"  # the provider that answers from batch results (providers/batch_results.BatchResults)


def load_prices(path: Path | None) -> dict[str, Price]:
    """The user's price table from the JSON file at ``path`` (empty without one): it overrides the published prices."""
    table: dict[str, Price] = {}
    if path is None:
        return table
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for model, entry in data.items():
            table[model] = Price(float(entry["input"]), float(entry.get("cached_input", entry["input"])), float(entry["output"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f'{path}: not a price table ({exc}); expected {{"model": {{"input": …, "output": …}}}}') from None
    return table


def cost_of(
    prices: dict[str, Price],
    provider: str,
    model: str,
    prompt_tokens: int,
    cached_tokens: int,
    output_tokens: int,
    batch: bool = False,
) -> float | None:
    """The request's cost in US dollars (at the batch price when ``batch``); 0 for the local model; None when the
    model has no price.
    """
    if provider.split(":")[-1] in FREE_PROVIDERS:
        return 0.0
    batch = batch or provider == BATCH_PROVIDER  # answers read from a batch's results were paid at its price
    price = prices.get(model)
    if price is not None:
        cost = price.cost(prompt_tokens, cached_tokens, output_tokens)
        return cost * BATCH_SHARE if batch else cost
    return published_cost(model, prompt_tokens, cached_tokens, output_tokens, batch)


BATCH_SHARE = 0.5  # what a batch request costs of the synchronous price, for a user's own table (OpenAI's rate)


def published_cost(model: str, prompt_tokens: int, cached_tokens: int, output_tokens: int, batch: bool = False) -> float | None:
    """The cost at OpenAI's published price for ``model`` (genai-prices), or None when it has none."""
    usage = GenaiUsage(input_tokens=prompt_tokens, cache_read_tokens=cached_tokens, output_tokens=output_tokens)
    try:
        calculation = calc_price(usage, model, provider_id="openai", price_context={"processing": "batch"} if batch else None)
    except LookupError:
        return None
    return float(calculation.total_price)
