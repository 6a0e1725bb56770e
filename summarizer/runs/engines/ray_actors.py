"""The Ray engine: briefs made by Ray Data actors, on a local Ray cluster or on a running one (``--ray-address``).

Ray is an optional extra (``pip install "summarizer[ray]"``). The loaded
articles become a Ray dataset; a pool of actors (``map_batches`` with a
callable class) each builds its provider from the run's settings and loads
the spaCy pipeline once, then, per batch, parses the articles together,
sends their requests (several in flight, as the local engine does), checks
and assembles the briefs, and stores them in the brief cache. The outcomes
come back to this process in input order, where the outputs, the run's
progress and the stories are made exactly as with the local engine. Each
actor's provider writes the run log (the ledger) of its machine.
"""

from __future__ import annotations

import logging
import pickle
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from summarizer.concurrency import ordered_map
from summarizer.errors import ConfigError, UsageError
from summarizer.inputs.loading import LoadedArticle
from summarizer.nlp.analysis import PARSE_BATCH, parse_ahead
from summarizer.nlp.pipeline import load_pipeline
from summarizer.providers.factory import build_provider
from summarizer.runs.context import RunContext
from summarizer.runs.outcome import brief_loaded

logger = logging.getLogger(__name__)


class BriefActor:
    """One Ray actor: the run's provider and recipe, built once; briefs a batch of pickled loaded articles per call."""

    def __init__(self, context: RunContext, actors: int) -> None:
        """Build the provider from the run's settings and load the pipeline (once per actor).

        The run's requests in flight (``Settings.concurrency``) are shared
        among the ``actors``.
        """
        self.context = context
        self.provider = build_provider(context.settings)
        self.recipe = context.brief_recipe(self.provider)
        self.workers = -(-context.settings.workers_for(self.provider.name) // actors)
        load_pipeline()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        """Brief every article of ``batch`` (column ``item``: pickled ``LoadedArticle``s); column ``outcome`` back."""
        loaded: list[LoadedArticle] = [pickle.loads(item) for item in batch["item"]]
        parse_ahead(item.article for item in loaded if item.article is not None)

        def brief_one(item: LoadedArticle) -> Any:
            return brief_loaded(item, self.provider, self.recipe, self.context.cache)

        outcomes = ordered_map(brief_one, loaded, self.workers, again=lambda outcome: outcome.transient)
        return {"outcome": [pickle.dumps(outcome) for outcome in outcomes]}


def ray_briefs(loaded: Iterable[LoadedArticle], context: RunContext) -> Iterator[Any]:
    """The ``BriefOutcome`` of every loaded input, in input order, made by Ray Data actors."""
    if context.provider is not None:
        raise UsageError("the Ray engine builds its provider on each worker from the settings: pass settings, not a provider")
    ray = _ray()
    _connect(ray, context.settings.ray_address)
    items = [{"item": pickle.dumps(item)} for item in loaded]
    if not items:
        return
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # Ray Data logs every execution step, and says it shows no bars
    data_context = ray.data.DataContext.get_current()
    data_context.execution_options.preserve_order = True
    data_context.enable_progress_bars = False  # the run's own progress is reported by the caller
    actors = max(1, min(context.settings.ray_actors or _cluster_cpus(ray), -(-len(items) // PARSE_BATCH)))
    with warnings.catch_warnings():  # max_restarts is passed the way Ray 2.60 reads it, and it warns of a later rename
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = ray.data.from_items(items).map_batches(
            _actor_for(context, actors),
            batch_size=max(PARSE_BATCH, 2 * -(-context.workers() // actors)),  # keeps an actor's share of requests in flight
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=1,
            max_restarts=0,  # a lost actor fails the run (named) instead of restarting without its arguments
        )
    for row in dataset.iter_rows():
        yield pickle.loads(row["outcome"])


def _actor_for(context: RunContext, actors: int) -> type[BriefActor]:
    """``BriefActor`` for this run, the context carried in the class (not as constructor arguments Ray keeps apart)."""

    class RunBriefActor(BriefActor):
        def __init__(self) -> None:
            super().__init__(context, actors)

    return RunBriefActor


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise ConfigError('the Ray engine needs Ray: pip install "summarizer[ray]"') from None
    return ray


def _connect(ray: Any, address: str | None) -> None:
    """Join the cluster at ``address``, or start a local one (once per process)."""
    if ray.is_initialized():
        return
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            logging_level=logging.WARNING,
            log_to_driver=False,
            configure_logging=False,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ConfigError(f"cannot reach the Ray cluster at {address or 'a new local cluster'}: {exc}") from exc
    logging.getLogger("ray").setLevel(logging.WARNING)


def _cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
