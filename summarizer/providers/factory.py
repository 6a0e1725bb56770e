"""The provider that ``Settings`` select, and a scope that closes a provider it built."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from summarizer.errors import ConfigError
from summarizer.providers.base import Provider
from summarizer.providers.prices import load_prices
from summarizer.settings import Settings


def build_provider(settings: Settings, batch_results: Sequence[Path] | None = None) -> Provider:
    """Construct the provider the settings select, wrapped for recording, the run log and the budget as asked.

    With ``batch_results`` (files in the OpenAI batch output format), the
    answers are read from them (``BatchResults``) for the settings' model,
    else the model the export recorded or the answers name. Setup problems (no endpoint configured, a missing or corrupted model
    file) raise a ``SetupError`` here, before any work.
    """
    # Imported here so that `summarizer prompts list` does not import the SDKs.
    from summarizer.providers.batch_results import BatchResults, ResultsIndex, resolve_model
    from summarizer.providers.budget_guard import BudgetProvider
    from summarizer.providers.ledger import Ledger, LedgerProvider
    from summarizer.providers.local import LocalProvider
    from summarizer.providers.openai_compat import OpenAICompatibleProvider
    from summarizer.providers.policy import RequestPolicy
    from summarizer.providers.replay import RecordingProvider, ReplayProvider

    name = settings.provider_name()
    provider: Provider
    if batch_results is not None:
        index = ResultsIndex.read(batch_results)
        model = settings.model or resolve_model(index, settings.ledger_path, settings.api_model)
        provider = BatchResults(model, index, context_tokens=settings.context_budget())
    elif name == "replay":
        if settings.record:
            raise ConfigError("--record needs a real provider, not replay")
        return ReplayProvider(settings.fixtures_dir, context_tokens=settings.context_budget())
    elif name == "openai":
        if not settings.api_key and not settings.base_url:
            raise ConfigError("the openai provider needs OPENAI_API_KEY (and/or OPENAI_BASE_URL for another endpoint)")
        provider = OpenAICompatibleProvider(
            model=settings.api_model,
            base_url=settings.base_url,
            api_key=settings.api_key,
            context_tokens=settings.context_budget(),
            policy=RequestPolicy.for_settings(settings, local=False),
        )
    else:
        provider = LocalProvider(
            model_dir=settings.model_dir,
            model_path=settings.model_path,
            threads=settings.threads,
            context_tokens=settings.context_budget(),
            policy=RequestPolicy.for_settings(settings, local=True),
            speculative=settings.speculative,
        )
    if settings.record and batch_results is None:
        provider = RecordingProvider(provider, settings.fixtures_dir)
    prices = load_prices(settings.prices_path)
    if settings.ledger_path is not None:
        provider = LedgerProvider(provider, Ledger(settings.ledger_path), prices)
    if settings.max_cost is not None or settings.max_tokens is not None:
        provider = BudgetProvider(provider, prices, max_cost=settings.max_cost, max_tokens=settings.max_tokens)
    return provider


@contextmanager
def provider_scope(provider: Provider | None, settings: Settings) -> Iterator[Provider]:
    """Use ``provider`` as is, or build one from ``settings`` and close it afterwards."""
    if provider is not None:
        yield provider
        return
    owned = build_provider(settings)
    try:
        yield owned
    finally:
        owned.close()
