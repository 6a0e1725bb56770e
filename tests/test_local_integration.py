"""End to end on the real embedded model (slow; deselect with -m 'not local_model')."""

from __future__ import annotations

import pytest

from summarizer import brief_article
from summarizer.inputs.loading import load_article
from summarizer.providers.factory import build_provider
from summarizer.settings import Settings
from tests.conftest import SEEDS


@pytest.mark.local_model
def test_the_local_model_briefs_a_seed_end_to_end() -> None:
    article = load_article(SEEDS[1])
    settings = Settings.from_env().with_overrides(provider="local")
    provider = build_provider(settings)
    try:
        brief = brief_article(article, provider=provider, settings=settings)
    finally:
        provider.close()
    assert brief.generated_by.provider == "local"
    assert brief.generated_by.model == "qwen2.5-coder-1.5b-instruct-q4_k_m"
    assert brief.headline and brief.summary and brief.key_points
    assert brief.usage.completion_tokens > 0 and brief.usage.attempts >= 1
    for point in brief.key_points:
        assert article.text[point.span.start : point.span.end] == point.evidence
    for quote in brief.quotes:
        assert article.text[quote.span.start : quote.span.end] == quote.text
    text = article.text.casefold()
    for entity in brief.entities:
        assert entity.name.casefold().replace(".", "") in text.replace(".", "")
