"""Settings from the environment and CLI options, and the provider they select."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from summarizer.errors import ConfigError
from summarizer.providers.base import Provider

ProviderName = Literal["openai", "local", "replay"]
PROVIDERS: tuple[str, ...] = ("openai", "local", "replay")
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from None


@dataclass(frozen=True)
class Settings:
    """Everything that chooses and configures a provider.

    ``api_key`` is kept out of ``repr`` so it never lands in a log or error.
    """

    provider: str | None = None
    model: str | None = None
    model_path: Path | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    threads: int = 2
    context_tokens: int | None = None
    max_reasks: int = 2
    grounding_reasks: int = 0
    speculative: str | None = None
    record: bool = False
    fixtures_dir: Path = Path("fixtures")

    @classmethod
    def from_env(cls) -> Settings:
        """Read ``OPENAI_*`` and ``SUMMARIZER_*`` variables."""
        model_path = os.environ.get("SUMMARIZER_MODEL_PATH")
        return cls(
            provider=os.environ.get("SUMMARIZER_PROVIDER") or None,
            model=os.environ.get("SUMMARIZER_MODEL") or None,
            model_path=Path(model_path) if model_path else None,
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            threads=_env_int("SUMMARIZER_THREADS", 2),
            context_tokens=_env_int("SUMMARIZER_CONTEXT_TOKENS", 0) or None,
            max_reasks=_env_int("SUMMARIZER_MAX_REASKS", 2),
            grounding_reasks=_env_int("SUMMARIZER_GROUNDING_REASKS", 0),
            speculative=os.environ.get("SUMMARIZER_SPECULATIVE") or None,
            record=_env_flag("SUMMARIZER_RECORD"),
            fixtures_dir=Path(os.environ.get("SUMMARIZER_FIXTURES_DIR") or "fixtures"),
        )

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with every non-None override applied."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})

    def provider_name(self) -> str:
        """The explicit provider, else ``openai`` if an endpoint is configured, else ``local``."""
        if self.provider:
            if self.provider not in PROVIDERS:
                raise ConfigError(f"unknown provider {self.provider!r}; choose one of {', '.join(PROVIDERS)}")
            return self.provider
        return "openai" if (self.api_key or self.base_url) else "local"


def build_provider(settings: Settings) -> Provider:
    """Construct the provider the settings select, wrapped for recording if asked."""
    # Imported here so that `summarizer prompts list` does not import the SDKs.
    from summarizer.providers.local import LocalProvider
    from summarizer.providers.openai_compat import OpenAICompatibleProvider
    from summarizer.providers.replay import RecordingProvider, ReplayProvider

    name = settings.provider_name()
    provider: Provider
    if name == "replay":
        if settings.record:
            raise ConfigError("--record needs a real provider, not replay")
        return ReplayProvider(settings.fixtures_dir, context_tokens=settings.context_tokens or 8192)
    if name == "openai":
        if not settings.api_key and not settings.base_url:
            raise ConfigError("the openai provider needs OPENAI_API_KEY (and/or OPENAI_BASE_URL for another endpoint)")
        provider = OpenAICompatibleProvider(
            model=settings.model or DEFAULT_OPENAI_MODEL,
            base_url=settings.base_url,
            api_key=settings.api_key,
            context_tokens=settings.context_tokens or 128_000,
            max_reasks=settings.max_reasks,
        )
    else:
        provider = LocalProvider(
            model_path=settings.model_path,
            threads=settings.threads,
            context_tokens=settings.context_tokens or 8192,
            max_reasks=settings.max_reasks,
            speculative=settings.speculative,
        )
    if settings.record:
        provider = RecordingProvider(provider, settings.fixtures_dir)
    return provider
