"""``Settings``: the only reader of the environment, and the one place each default is written.

Library calls given ``settings`` (or a ``provider``) never read the
environment; ``Settings.from_env()`` is what the CLI and calls given neither
use. Values are validated when the settings are made, so a bad option fails
once, before any work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import platformdirs

from summarizer.errors import ConfigError

PROVIDERS: tuple[str, ...] = ("openai", "local", "replay")
SPECULATIVE_MODES: tuple[str, ...] = ("ngram",)
ENGINES: tuple[str, ...] = ("local", "ray")
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_THREADS = 2
LOCAL_CONTEXT_TOKENS = 8192
API_CONTEXT_TOKENS = 128_000
DEFAULT_MAX_REASKS = 2
# Off by default: on the local model a re-ask costs a second full answer (12-22 s),
# and code already removes what the article does not support (bench/grounding.py).
DEFAULT_GROUNDING_REASKS = 0
# Waiting for a model. A request's answer arrives whole (no streaming), so the read timeout
# covers the whole generation: generous for the local model (a synthesis can take minutes on
# 2 cores), tighter for an API. Connecting is quick or never.
CONNECT_TIMEOUT = 10.0
FETCH_TIMEOUT = 20.0  # one web page or feed
PAGE_CACHE_TTL = 86_400.0  # a fetched page is served from the cache for a day; feeds are asked again every run
PAGE_CACHE_MAX_MB = 500.0  # the page cache is pruned to this size ...
PAGE_CACHE_MAX_DAYS = 30.0  # ... and of anything not fetched for this long, when a run ends
FEED_ENTRIES = 200  # the newest entries read from one feed; a news feed carries 10 to 100
MEMORY_DAYS = 14
API_REQUEST_TIMEOUT = 120.0
LOCAL_REQUEST_TIMEOUT = 900.0
API_ATTEMPTS = 4
LOCAL_ATTEMPTS = 2
# Requests in flight at once. An endpoint serves many; the embedded model has one
# llama.cpp slot, and on 2 cores reading a prompt is compute-bound, so more would queue.
API_CONCURRENCY = 8
LOCAL_CONCURRENCY = 1
APP_NAME = "summarizer"


def _user_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


_Number = TypeVar("_Number", int, float)


def _parsed(environ: Mapping[str, str], name: str, kind: Callable[[str], _Number], what: str) -> _Number | None:
    """The variable ``name`` read as ``kind``; None when unset; ``ConfigError`` naming it when malformed."""
    value = environ.get(name)
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise ConfigError(f"{name} must be {what}, got {value!r}") from None


def _integer(environ: Mapping[str, str], name: str) -> int | None:
    return _parsed(environ, name, int, "an integer")


def _number(environ: Mapping[str, str], name: str) -> float | None:
    return _parsed(environ, name, float, "a number of seconds")


OFF_WORDS = frozenset({"off", "0", "no", "none", "false"})


def _path_or_off(value: str | None, default: Path | None) -> Path | None:
    """A path setting that can be turned off (every cache and the run log): a path, or ``off``."""
    if value and value.strip().lower() in OFF_WORDS:
        return None
    return Path(value) if value else default


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


@dataclass(frozen=True)
class Settings:
    """Everything that chooses and configures a provider, and where files live.

    ``api_key`` is kept out of ``repr`` so it never lands in a log or error.
    ``model_dir`` holds the local model files; ``brief_cache_dir`` the cache
    of finished briefs and ``page_cache_dir`` fetched pages and feeds (None
    for either: no cache); ``page_cache_ttl`` how long a page is served from
    the cache before it is revalidated, ``page_cache_max_mb`` and
    ``_max_days`` its bounds; ``refresh`` fetches every page and feed again;
    ``fetch_timeout`` is one fetch's deadline, ``feed_entries`` the newest
    entries read from a feed, ``allow_private_addresses`` lets links found in
    content reach internal addresses; ``prompts_dir`` (None: the packaged prompts) the prompt
    library; ``concurrency`` requests in flight, ``processes`` worker
    processes parsing articles (None: each chosen for the provider);
    ``engine`` ``local`` (this machine) or ``ray`` (Ray Data actors on the
    cluster at ``ray_address``, else a local one; ``ray_actors`` of them,
    default one per CPU of the cluster); ``memory_path`` the story memory
    ``summarizer daily`` reads and records (None: off), ``memory_days`` how
    many days back today's stories are matched to earlier ones.
    """

    provider: str | None = None
    model: str | None = None
    model_path: Path | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    threads: int = DEFAULT_THREADS
    context_tokens: int | None = None
    max_reasks: int = DEFAULT_MAX_REASKS
    grounding_reasks: int = DEFAULT_GROUNDING_REASKS
    speculative: str | None = None
    record: bool = False
    fixtures_dir: Path = Path("fixtures")
    model_dir: Path = field(default_factory=lambda: _user_cache_dir() / "models")
    brief_cache_dir: Path | None = field(default_factory=lambda: _user_cache_dir() / "briefs")
    page_cache_dir: Path | None = field(default_factory=lambda: _user_cache_dir() / "pages")
    page_cache_ttl: float = PAGE_CACHE_TTL
    refresh: bool = False
    fetch_timeout: float = FETCH_TIMEOUT
    page_cache_max_mb: float = PAGE_CACHE_MAX_MB
    page_cache_max_days: float = PAGE_CACHE_MAX_DAYS
    feed_entries: int = FEED_ENTRIES
    allow_private_addresses: bool = False
    prompts_dir: Path | None = None
    request_timeout: float | None = None
    connect_timeout: float = CONNECT_TIMEOUT
    request_attempts: int | None = None
    concurrency: int | None = None
    processes: int | None = None
    engine: str = "local"
    ray_address: str | None = None
    ray_actors: int | None = None
    crash_at: str | None = None  # SUMMARIZER_CRASH_AT: a batch job kills itself there (resumability tests only)
    ledger_path: Path | None = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)) / "runs.sqlite")
    memory_path: Path | None = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)) / "memory.sqlite")
    memory_days: int = MEMORY_DAYS
    prices_path: Path | None = None
    max_cost: float | None = None
    max_tokens: int | None = None
    hedge: bool = True

    def __post_init__(self) -> None:
        if self.provider is not None and self.provider not in PROVIDERS:
            raise ConfigError(f"unknown provider {self.provider!r}; choose one of {', '.join(PROVIDERS)}")
        if self.memory_days < 1:
            raise ConfigError(f"memory days must be at least 1, got {self.memory_days}")
        if self.threads < 1:
            raise ConfigError(f"threads must be at least 1, got {self.threads}")
        if self.context_tokens is not None and self.context_tokens < 1:
            raise ConfigError(f"the context must be a positive number of tokens, got {self.context_tokens}")
        if self.max_reasks < 0 or self.grounding_reasks < 0:
            raise ConfigError("re-ask counts cannot be negative")
        if self.page_cache_ttl < 0:
            raise ConfigError(f"the page cache's time to live cannot be negative, got {self.page_cache_ttl:g} s")
        if self.page_cache_max_mb < 0 or self.page_cache_max_days < 0:
            raise ConfigError("the page cache's size and age bounds cannot be negative")
        if self.feed_entries < 1:
            raise ConfigError(f"a feed's entries read must be at least 1, got {self.feed_entries}")
        if self.fetch_timeout <= 0:
            raise ConfigError(f"the fetch timeout must be a positive number of seconds, got {self.fetch_timeout:g}")
        if (self.request_timeout is not None and self.request_timeout <= 0) or self.connect_timeout <= 0:
            raise ConfigError("timeouts must be positive numbers of seconds")
        if (self.max_cost is not None and self.max_cost < 0) or (self.max_tokens is not None and self.max_tokens < 1):
            raise ConfigError("budgets must be positive")
        if self.concurrency is not None and self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, got {self.concurrency}")
        if self.engine not in ENGINES:
            raise ConfigError(f"unknown engine {self.engine!r}; choose one of {', '.join(ENGINES)}")
        if self.ray_actors is not None and self.ray_actors < 1:
            raise ConfigError(f"Ray actors must be at least 1, got {self.ray_actors}")
        if self.processes is not None and self.processes < 1:
            raise ConfigError(f"worker processes must be at least 1, got {self.processes}")
        if self.request_attempts is not None and self.request_attempts < 1:
            raise ConfigError(f"request attempts must be at least 1, got {self.request_attempts}")
        if self.speculative is not None and self.speculative not in SPECULATIVE_MODES:
            raise ConfigError(f"unknown speculative mode {self.speculative!r}; use {', '.join(SPECULATIVE_MODES)}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the ``OPENAI_*`` and ``SUMMARIZER_*`` variables (of ``environ``, default ``os.environ``).

        ``SUMMARIZER_CACHE_DIR`` (its ``models/`` folder) is the old name of
        ``SUMMARIZER_MODEL_DIR`` and still works.
        """
        env = os.environ if environ is None else environ
        defaults = cls()
        legacy_cache = _path(env.get("SUMMARIZER_CACHE_DIR"))
        model_dir = _path(env.get("SUMMARIZER_MODEL_DIR")) or (legacy_cache / "models" if legacy_cache else None)
        return cls(
            provider=env.get("SUMMARIZER_PROVIDER") or None,
            model=env.get("SUMMARIZER_MODEL") or None,
            model_path=_path(env.get("SUMMARIZER_MODEL_PATH")),
            base_url=env.get("OPENAI_BASE_URL") or None,
            api_key=env.get("OPENAI_API_KEY") or None,
            threads=_or_default(_integer(env, "SUMMARIZER_THREADS"), DEFAULT_THREADS),
            context_tokens=_integer(env, "SUMMARIZER_CONTEXT_TOKENS") or None,
            max_reasks=_or_default(_integer(env, "SUMMARIZER_MAX_REASKS"), DEFAULT_MAX_REASKS),
            grounding_reasks=_or_default(_integer(env, "SUMMARIZER_GROUNDING_REASKS"), DEFAULT_GROUNDING_REASKS),
            speculative=env.get("SUMMARIZER_SPECULATIVE") or None,
            record=_flag(env.get("SUMMARIZER_RECORD")),
            fixtures_dir=_path(env.get("SUMMARIZER_FIXTURES_DIR")) or defaults.fixtures_dir,
            model_dir=model_dir or defaults.model_dir,
            brief_cache_dir=_path_or_off(env.get("SUMMARIZER_BRIEF_CACHE_DIR"), defaults.brief_cache_dir),
            page_cache_dir=_path_or_off(env.get("SUMMARIZER_PAGE_CACHE_DIR"), defaults.page_cache_dir),
            page_cache_ttl=_or_default(_parsed(env, "SUMMARIZER_PAGE_CACHE_TTL", float, "a number of seconds"), PAGE_CACHE_TTL),
            refresh=_flag(env.get("SUMMARIZER_REFRESH")),
            fetch_timeout=_number(env, "SUMMARIZER_FETCH_TIMEOUT") or FETCH_TIMEOUT,
            page_cache_max_mb=_or_default(_parsed(env, "SUMMARIZER_PAGE_CACHE_MAX_MB", float, "megabytes"), PAGE_CACHE_MAX_MB),
            page_cache_max_days=_or_default(_parsed(env, "SUMMARIZER_PAGE_CACHE_MAX_DAYS", float, "days"), PAGE_CACHE_MAX_DAYS),
            feed_entries=_or_default(_integer(env, "SUMMARIZER_FEED_ENTRIES"), FEED_ENTRIES),
            allow_private_addresses=_flag(env.get("SUMMARIZER_ALLOW_PRIVATE_ADDRESSES")),
            prompts_dir=_path(env.get("SUMMARIZER_PROMPTS_DIR")),
            request_timeout=_number(env, "SUMMARIZER_TIMEOUT"),
            connect_timeout=_number(env, "SUMMARIZER_CONNECT_TIMEOUT") or CONNECT_TIMEOUT,
            request_attempts=_integer(env, "SUMMARIZER_ATTEMPTS"),
            concurrency=_integer(env, "SUMMARIZER_CONCURRENCY"),
            processes=_integer(env, "SUMMARIZER_WORKERS"),
            engine=env.get("SUMMARIZER_ENGINE") or defaults.engine,
            ray_address=env.get("SUMMARIZER_RAY_ADDRESS") or None,
            ray_actors=_integer(env, "SUMMARIZER_RAY_ACTORS"),
            crash_at=env.get("SUMMARIZER_CRASH_AT") or None,
            ledger_path=_path_or_off(env.get("SUMMARIZER_LEDGER"), defaults.ledger_path),
            memory_path=_path_or_off(env.get("SUMMARIZER_MEMORY"), defaults.memory_path),
            memory_days=_or_default(_integer(env, "SUMMARIZER_MEMORY_DAYS"), MEMORY_DAYS),
            prices_path=_path(env.get("SUMMARIZER_PRICES")),
            hedge=(env.get("SUMMARIZER_HEDGE") or "on").strip().lower() not in OFF_WORDS,
        )

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with every non-None override applied (validated again)."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})  # type: ignore[arg-type]

    @property
    def page_cache_max_bytes(self) -> int:
        """The page cache's size bound in bytes."""
        return int(self.page_cache_max_mb * 1e6)

    @property
    def page_cache_max_age(self) -> float:
        """The page cache's age bound in seconds."""
        return self.page_cache_max_days * 86_400.0

    @property
    def api_model(self) -> str:
        """The model an endpoint is asked for: the setting, else ``DEFAULT_OPENAI_MODEL`` (the one default)."""
        return self.model or DEFAULT_OPENAI_MODEL

    def provider_name(self) -> str:
        """The explicit provider, else ``openai`` if an endpoint is configured, else ``local``."""
        if self.provider:
            return self.provider
        return "openai" if (self.api_key or self.base_url) else "local"

    def timeout_for(self, local: bool) -> float:
        """How long one request may take: the setting, else the default for the local model or an API."""
        return self.request_timeout or (LOCAL_REQUEST_TIMEOUT if local else API_REQUEST_TIMEOUT)

    def attempts_for(self, local: bool) -> int:
        """How many times a request is tried on transient faults: the setting, else the provider's default."""
        return self.request_attempts or (LOCAL_ATTEMPTS if local else API_ATTEMPTS)

    def concurrency_for(self, local: bool) -> int:
        """Requests in flight at once: the setting, else the provider's default (local 1, an endpoint 8)."""
        return self.concurrency or (LOCAL_CONCURRENCY if local else API_CONCURRENCY)

    def workers_for(self, provider_name: str) -> int:
        """``concurrency_for`` the provider of that name (the embedded model's is ``local``)."""
        return self.concurrency_for(local=provider_name == "local")

    def processes_for(self, provider_name: str) -> int:
        """Processes that parse articles: the setting, else one per core; one for the embedded model (it has the cores)."""
        if self.processes is not None:
            return self.processes
        return 1 if provider_name == "local" else available_cores()

    def context_budget(self) -> int:
        """The context window in tokens: the setting, else the default for the chosen provider."""
        if self.context_tokens:
            return self.context_tokens
        return API_CONTEXT_TOKENS if self.provider_name() == "openai" else LOCAL_CONTEXT_TOKENS


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _or_default(value: _Number | None, default: _Number) -> _Number:
    return default if value is None else value


def settings_for_call(settings: Settings | None, *, provider_given: bool) -> Settings:
    """The settings a library call uses: the ones given; else defaults when a provider is given; else the environment.

    So a caller that passes a provider or settings is never affected by the
    environment.
    """
    if settings is not None:
        return settings
    return Settings() if provider_given else Settings.from_env()
