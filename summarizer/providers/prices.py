"""What a model's tokens cost: a small table of public per-million-token prices, which a user can extend.

Prices are US dollars per million tokens (input, cached input, output), as
published by the providers when the table was written; they change, so a
JSON file named by ``SUMMARIZER_PRICES`` (``{"model": {"input": …,
"cached_input": …, "output": …}}``) adds or overrides entries. A model with
no price has no cost: the ledger shows its tokens and "price unknown", never
a made-up figure. The embedded local model costs nothing to call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

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


# Public list prices (USD per million tokens: input, cached input, output).
PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.075, 0.60),
    "gpt-4o": Price(2.50, 1.25, 10.00),
    "gpt-4.1": Price(2.00, 0.50, 8.00),
    "gpt-4.1-mini": Price(0.40, 0.10, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.025, 0.40),
}
FREE_PROVIDERS = frozenset({"local"})


def load_prices(path: Path | None) -> dict[str, Price]:
    """The built-in table, with the entries of the JSON file at ``path`` (if any) added or overriding."""
    table = dict(PRICES)
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
    prices: dict[str, Price], provider: str, model: str, prompt_tokens: int, cached_tokens: int, output_tokens: int
) -> float | None:
    """The request's cost in US dollars; 0 for the local model; None when the model has no price."""
    if provider.split(":")[-1] in FREE_PROVIDERS:
        return 0.0
    price = prices.get(model)
    return None if price is None else price.cost(prompt_tokens, cached_tokens, output_tokens)
