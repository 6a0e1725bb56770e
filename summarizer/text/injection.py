"""Sentences that address instructions to a language model (prompt injection attempts)."""

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


def instruction_like(sentence: str) -> bool:
    """Whether a sentence addresses instructions to a language model (a prompt injection attempt)."""
    return _INSTRUCTION_LIKE.search(sentence) is not None
