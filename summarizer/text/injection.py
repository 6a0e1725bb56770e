"""Sentences that address instructions to a language model (prompt injection attempts).

Two kinds: text that tells a model what to do ("ignore all previous
instructions", "you are now an assistant…"), and text that imitates the
prompt's own structure (``</article>``, ``<source …>``, a chat role marker
such as ``SYSTEM:`` or ``<|im_start|>``), which only an attack would write.
"""

from __future__ import annotations

import re

_INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|your)\b.{0,30}"
    r"\b(?:instructions?|prompts?|rules|directions|guidelines)\b"
    r"|\b(?:you are now|act as|pretend to be)\b.{0,30}\b(?:ai|assistant|model|chatbot)\b"
    r"|\b(?:system prompt|developer message)\b"
    r"|\binstead,? (?:write|say|output|respond|reply|answer|list)\b",
    re.IGNORECASE,
)


_PROMPT_MARKUP = re.compile(
    # A tag of the prompt's own (or a role tag), opening or closing.
    r"</?\s*(?:article|source|sources|system|user|assistant|developer|instructions?|prompt)\b[^>]{0,200}>"
    # Chat-template tokens of common models.
    r"|<\|[a-z_]{2,20}\|>|\[/?INST\]|<<\s*/?SYS\s*>>",
    re.IGNORECASE,
)
# A chat role marker where a sentence, a line or a numbered item starts: "SYSTEM: ...",
# "[1] Assistant: ...". Case-sensitive, so "the system: ..." in a news sentence is not one.
_ROLE_MARKER = re.compile(r"(?:^|[\]>\n]\s*)(?:SYSTEM|System|ASSISTANT|Assistant|DEVELOPER|Developer)\s*:")


def instruction_like(sentence: str) -> bool:
    """Whether a sentence addresses instructions to a language model, or imitates the prompt's markup."""
    return any(pattern.search(sentence) is not None for pattern in (_INSTRUCTION_LIKE, _PROMPT_MARKUP, _ROLE_MARKER))
