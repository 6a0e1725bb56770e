"""Options shared by the commands that run a model, declared once.

``with_run_options`` adds them to a command's signature (typer reads the
signature) and hands the command one ``RunOptions`` instead of eight
arguments; ``with_run_options(BATCH_OPTIONS)`` adds only those a batch
command honours. Help texts carry no console markup: the apps are made
with ``rich_markup_mode=None``, so ``[env: …]`` and ``[ray]`` print as written.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_type_hints

import typer

from summarizer.inputs.window import DateWindow
from summarizer.runs.cache import BriefCache
from summarizer.runs.context import RunContext
from summarizer.settings import DEFAULT_OPENAI_MODEL, FEED_ENTRIES, Settings
from summarizer.stories.grouping import GroupingParams

RefreshOption = Annotated[bool, typer.Option("--refresh", help="Fetch every page and feed again, ignoring the page cache.")]
FeedEntriesOption = Annotated[
    int | None,
    typer.Option(
        "--feed-entries",
        min=1,
        help=f"Read at most this many of a feed's newest entries [env: SUMMARIZER_FEED_ENTRIES; default: {FEED_ENTRIES}].",
    ),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private-addresses",
        help="Let links found in feeds and pages (and redirects to other hosts) reach private, loopback and "
        "link-local addresses [env: SUMMARIZER_ALLOW_PRIVATE_ADDRESSES=1].",
    ),
]


@dataclass(frozen=True)
class RunOptions:
    """The provider options and run switches of one command line."""

    provider: Annotated[
        str | None,
        typer.Option(
            "--provider",
            help="openai, local or replay [env: SUMMARIZER_PROVIDER; default: openai if "
            "OPENAI_API_KEY or OPENAI_BASE_URL is set, else local].",
        ),
    ] = None
    model: Annotated[
        str | None,
        typer.Option("--model", help=f"Model name for an endpoint [env: SUMMARIZER_MODEL; default: {DEFAULT_OPENAI_MODEL}]."),
    ] = None
    model_path: Annotated[
        Path | None, typer.Option("--model-path", help="A GGUF file for the local provider [env: SUMMARIZER_MODEL_PATH].")
    ] = None
    threads: Annotated[
        int | None, typer.Option("--threads", help="CPU threads for the local model [env: SUMMARIZER_THREADS].")
    ] = None
    record: Annotated[
        bool, typer.Option("--record", help="Write every real answer to the fixtures directory [env: SUMMARIZER_RECORD=1].")
    ] = False
    fixtures: Annotated[
        Path | None, typer.Option("--fixtures", help="Fixtures directory [env: SUMMARIZER_FIXTURES_DIR; default: ./fixtures].")
    ] = None
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency", help="Requests in flight at once [env: SUMMARIZER_CONCURRENCY; default: 8, local model 1]."
        ),
    ] = None
    engine: Annotated[
        str | None,
        typer.Option("--engine", help='local or ray (pip install "summarizer[ray]") [env: SUMMARIZER_ENGINE; default: local].'),
    ] = None
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address", help="A running Ray cluster to join (else Ray starts a local one) [env: SUMMARIZER_RAY_ADDRESS]."
        ),
    ] = None
    max_cost: Annotated[
        float | None, typer.Option("--max-cost", help="Stop sending requests before the run could cost more (USD).")
    ] = None
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Stop sending requests before the run could use more tokens.")
    ] = None
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the requests, tokens and cost the run would need; call no model.")
    ] = False
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Brief every article again instead of reusing cached briefs.")] = (
        False
    )
    refresh: RefreshOption = False
    feed_entries: FeedEntriesOption = None
    allow_private_addresses: AllowPrivateOption = False
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr (errors are still shown).")] = False
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Also show other libraries' log records (HTTP requests, retries) on stderr.")
    ] = False

    def settings(self) -> Settings:
        """The environment's settings with these options applied (validated)."""
        return Settings.from_env().with_overrides(
            provider=self.provider,
            model=self.model,
            model_path=self.model_path,
            threads=self.threads,
            record=True if self.record else None,
            fixtures_dir=self.fixtures,
            concurrency=self.concurrency,
            engine=self.engine,
            ray_address=self.ray_address,
            max_cost=self.max_cost,
            max_tokens=self.max_tokens,
            refresh=True if self.refresh else None,
            feed_entries=self.feed_entries,
            allow_private_addresses=True if self.allow_private_addresses else None,
        )

    def cache(self, settings: Settings) -> BriefCache | None:
        """The brief cache, unless ``--no-cache`` (or it cannot be written: then a warning and none)."""
        if self.no_cache or settings.brief_cache_dir is None:
            return None
        return BriefCache.open(settings.brief_cache_dir)

    def context(self, window: DateWindow | None = None, grouping: GroupingParams | None = None) -> RunContext:
        """The run these options describe: settings, brief cache, dates and grouping (validated once, here)."""
        settings = self.settings()
        return RunContext(settings=settings, cache=self.cache(settings), window=window, grouping=grouping or GroupingParams())


FormatOption = Annotated[str, typer.Option("--format", "-f", help="json, markdown or html (a self-contained page).")]
OutputDirOption = Annotated[Path, typer.Option("-o", "--output-dir", help="Write <id>.brief.json|md|html here.")]

F = TypeVar("F", bound=Callable[..., Any])
_HINTS = get_type_hints(RunOptions, include_extras=True)
_SHARED = [
    inspect.Parameter(field.name, inspect.Parameter.KEYWORD_ONLY, default=field.default, annotation=_HINTS[field.name])
    for field in fields(RunOptions)
]
# What a batch command honours: the model its requests name, the endpoint's answers for --finish-sync, the cache.
BATCH_OPTIONS = frozenset(
    {"model", "concurrency", "max_cost", "max_tokens", "no_cache", "feed_entries", "allow_private_addresses", "quiet", "verbose"}
)


def _declaring(command: F, names: frozenset[str]) -> F:
    """``command`` with the shared options in ``names`` declared; the others keep their defaults."""
    shared = [parameter for parameter in _SHARED if parameter.name in names]
    own = [
        parameter for parameter in inspect.signature(command, eval_str=True).parameters.values() if parameter.name != "options"
    ]

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {parameter.name: kwargs.pop(parameter.name) for parameter in shared}
        return command(*args, options=RunOptions(**given), **kwargs)

    wrapper.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {parameter.name: parameter.annotation for parameter in [*own, *shared]}
    return wrapper  # type: ignore[return-value]


def with_run_options(command_or_names: Any) -> Any:
    """Declare the shared options on a command, which receives them as ``options: RunOptions``.

    ``@with_run_options`` declares all of them; ``@with_run_options(NAMES)``
    only the named ones.
    """
    if isinstance(command_or_names, frozenset):
        names: frozenset[str] = command_or_names
        return lambda command: _declaring(command, names)
    return _declaring(command_or_names, frozenset(parameter.name for parameter in _SHARED))
