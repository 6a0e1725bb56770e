"""Spending limits: stop sending requests once the next one could cross a cost or token budget.

Before each request, its worst case (the estimated prompt tokens plus every
output token it may write, times the number of answers re-asks may take) is
added to what the run has spent so far; if that could exceed a budget, the
request is not sent and ``BudgetExceeded`` (a ``RunError``) says so. The
article it was for is listed as not done, the ones already done stay done,
and the run's exit code says something is missing.
"""

from __future__ import annotations

import threading

from summarizer.errors import ConfigError, RunError
from summarizer.providers.base import ModelRequest, ModelResult, OutputT, Provider
from summarizer.providers.budget import REASK_ALLOWANCE, estimate_tokens
from summarizer.providers.hedge import COPY_ALLOWED
from summarizer.providers.prices import Price, cost_of
from summarizer.providers.wrapper import WrappedProvider


class BudgetExceeded(RunError):
    """A request was not sent: it could have taken the run over its budget."""


class BudgetProvider(WrappedProvider):
    """Wraps a provider and refuses requests that could exceed ``max_cost`` (USD) or ``max_tokens``."""

    def __init__(
        self, inner: Provider, prices: dict[str, Price], *, max_cost: float | None = None, max_tokens: int | None = None
    ) -> None:
        """``max_cost`` needs a price for the model (``ConfigError`` otherwise, before any request)."""
        super().__init__(inner)
        self.prices = prices
        self.max_cost = max_cost
        self.max_tokens = max_tokens
        if max_cost is not None and cost_of(prices, inner.name, inner.model, 0, 0, 0) is None:
            raise ConfigError(
                f"no price for model {inner.model!r}, so --max-cost cannot be enforced; add one with SUMMARIZER_PRICES"
            )
        self.spent_cost = 0.0
        self.spent_tokens = 0
        self.reserved_cost = 0.0
        self.reserved_tokens = 0
        self._lock = threading.Lock()

    def _worst_case(self, request: ModelRequest[OutputT]) -> tuple[int, int]:
        answers = 1 + (request.max_reasks if request.max_reasks is not None else REASK_ALLOWANCE)
        prompt = sum(estimate_tokens(message["content"]) for message in request.messages)
        return prompt * answers, request.params.max_tokens * answers

    def _fits(self, tokens: int, cost: float) -> bool:
        """Whether ``tokens`` and ``cost`` more fit the budget on top of what was spent.

        Asked before a hedged copy (with the worst case of the request and
        every copy): a copy that loses is billed too, so it is not sent when
        it could take the run over the budget; the request then waits for
        what was sent.
        """
        with self._lock:
            if self.max_tokens is not None and self.spent_tokens + tokens > self.max_tokens:
                return False
            return self.max_cost is None or self.spent_cost + cost <= self.max_cost

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Send the request only if its worst case fits what is left of the budget (a hedged copy's too, if one is sent)."""
        prompt, output = self._worst_case(request)
        worst_cost = cost_of(self.prices, self.name, self.model, prompt, 0, output) or 0.0
        with self._lock:
            if self.max_tokens is not None and self.spent_tokens + prompt + output > self.max_tokens:
                raise BudgetExceeded(
                    f"not sent: up to {prompt + output:,} more tokens could exceed the budget of {self.max_tokens:,} "
                    f"({self.spent_tokens:,} spent)"
                )
            if self.max_cost is not None and self.spent_cost + worst_cost > self.max_cost:
                raise BudgetExceeded(
                    f"not sent: up to ${worst_cost:.4f} more could exceed the budget of ${self.max_cost:.4f} "
                    f"(${self.spent_cost:.4f} spent)"
                )
        answers = [1]  # the request and the copies let out so far, each billed up to its worst case

        def room_for_copy() -> bool:
            if not self._fits((answers[0] + 1) * (prompt + output), (answers[0] + 1) * worst_cost):
                return False
            answers[0] += 1
            return True

        token = COPY_ALLOWED.set(room_for_copy)
        try:
            result = self.inner.complete(request)
        finally:
            COPY_ALLOWED.reset(token)
        usage = result.usage
        spent = cost_of(
            self.prices, self.name, self.model, usage.prompt_tokens, usage.cached_prompt_tokens, usage.completion_tokens
        )
        with self._lock:
            self.spent_tokens += usage.prompt_tokens + usage.completion_tokens
            self.spent_cost += spent or 0.0
        return result
