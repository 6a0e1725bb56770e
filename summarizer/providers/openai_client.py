"""The one place an OpenAI SDK client is made: for chat completions and for the batch API alike."""

from __future__ import annotations

import openai


def openai_client(
    *, api_key: str | None, base_url: str | None, timeout: float, connect_timeout: float | None = None, max_retries: int = 0
) -> openai.OpenAI:
    """A client for the endpoint at ``base_url`` (OpenAI when None).

    Local servers need no key but the SDK insists on one, so a placeholder
    stands in. The SDK's own retries are off unless asked for: the callers
    retry with tenacity, so attempts do not multiply.
    """
    return openai.OpenAI(
        api_key=api_key or "no-key-needed",
        base_url=base_url,
        max_retries=max_retries,
        timeout=openai.Timeout(timeout, connect=connect_timeout if connect_timeout is not None else timeout),
    )
