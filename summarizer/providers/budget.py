"""How much of a provider's context a request may need: its prompt, its answer, and room for re-asks."""

from __future__ import annotations

from typing import Any

from summarizer.providers.base import ModelRequest

CHARS_PER_TOKEN = 3.5  # a conservative average for English news text
REASK_ALLOWANCE = 2  # a re-ask resends the conversation plus each earlier answer and its error
REASK_NOTE_TOKENS = 600  # instructor's error message quotes the invalid values


def estimate_tokens(text: str) -> int:
    """A rough token count, enough to refuse prompts that cannot fit."""
    return int(len(text) / CHARS_PER_TOKEN) + 1


def request_tokens(request: ModelRequest[Any]) -> int:
    """What a call may need of the context: its prompt, the answer, and room for re-asks.

    A validation re-ask (instructor) appends the previous answer and the
    error, so the worst case holds one more answer and error per re-ask.
    """
    reasks = REASK_ALLOWANCE if request.max_reasks is None else request.max_reasks
    prompt = sum(estimate_tokens(message["content"]) for message in request.messages)
    return prompt + request.params.max_tokens * (1 + reasks) + reasks * REASK_NOTE_TOKENS


def fits(request: ModelRequest[Any], context_tokens: int, margin: int = 0) -> bool:
    """Whether ``request`` (plus ``margin`` tokens of slack) fits a context of ``context_tokens``."""
    return request_tokens(request) + margin <= context_tokens
