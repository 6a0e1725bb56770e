"""Many inputs: brief every article (reusing cached briefs), then synthesize them.

A bad input or a failed model call is recorded for that input (``RunError``)
and the others go on; a ``SetupError`` (no model, a bad option) stops the
run at once, since every other input would fail the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from summarizer.brief.schema import ArticleBrief
from summarizer.concurrency import ordered_map
from summarizer.errors import InputError, RunError
from summarizer.inputs.article import Article
from summarizer.inputs.loading import LoadedArticle
from summarizer.nlp.analysis import PARSE_BATCH
from summarizer.providers.base import Provider
from summarizer.runs.context import ContextOptions, RunContext, RunProgress
from summarizer.runs.engines.process_pool import parsed_ahead
from summarizer.runs.outcome import BriefOutcome, brief_loaded
from summarizer.synthesis.pipeline import synthesize_with
from summarizer.synthesis.schema import Synthesis

__all__ = ["BriefOutcome", "RunProgress", "SynthesisRun", "iter_briefs", "load_inputs", "synthesize_files"]


def iter_briefs(loaded: Iterable[LoadedArticle], provider: Provider, context: RunContext) -> Iterator[BriefOutcome]:
    """The outcome of every loaded input, in input order, with several briefs in flight (``Settings.concurrency``).

    The brief recipe is made once for the run. An article that failed
    transiently (``RunError.transient``) is briefed once more, with fresh
    attempts, after every other article has started. With several in
    flight, articles are parsed a batch ahead (one ``nlp.pipe`` call), while
    the workers wait for their answers: in worker processes on every core
    (``Settings.processes_for``) once the run has more than one batch. With
    ``Settings.engine`` ``ray``, Ray Data actors make the briefs
    (``runs/engines/ray_actors``), each with a provider built from the settings.
    """
    if context.settings.engine == "ray":
        from summarizer.runs.engines.ray_actors import ray_briefs  # Ray is an optional extra

        yield from ray_briefs(loaded, context)
        return
    workers = context.settings.workers_for(provider.name)
    recipe = context.brief_recipe(provider)
    cache = context.cache

    def to_parse(article: Article) -> bool:  # an article whose brief is cached is not parsed at all
        return cache is None or not cache.has(recipe.key(article))

    processes = context.settings.processes_for(provider.name)
    items = parsed_ahead(loaded, to_parse, PARSE_BATCH, processes) if workers > 1 else loaded

    def brief_one(item: LoadedArticle) -> BriefOutcome:
        return brief_loaded(item, provider, recipe, cache)

    yield from ordered_map(brief_one, items, workers, again=lambda outcome: outcome.transient)


@dataclass
class SynthesisRun:
    """Briefs of every input and their synthesis (or why there is none)."""

    outcomes: list[BriefOutcome]
    synthesis: Synthesis | None
    synthesis_error: str | None = None
    synthesis_cached: bool = False

    @property
    def briefed(self) -> list[BriefOutcome]:
        """The outcomes with a brief (and its article), in input order."""
        return [outcome for outcome in self.outcomes if outcome.brief is not None and outcome.article is not None]

    @property
    def briefs(self) -> list[ArticleBrief]:
        """The briefs made, in input order."""
        return [outcome.brief for outcome in self.outcomes if outcome.brief is not None]

    @property
    def articles(self) -> list[Article]:
        """The articles that were briefed, in input order."""
        return [outcome.article for outcome in self.briefed if outcome.article is not None]

    @property
    def failures(self) -> list[BriefOutcome]:
        """The inputs that could not be briefed."""
        return [outcome for outcome in self.outcomes if outcome.brief is None]

    @property
    def ok(self) -> bool:
        """True when every article was briefed and the synthesis covers them all."""
        return not self.failures and self.synthesis is not None and not self.synthesis.failed_groups


def load_inputs(inputs: Iterable[str | Path], context: RunContext) -> list[LoadedArticle]:
    """Every article of ``inputs`` or an error for each bad one (or why it is outside the run's dates).

    Pages and feeds are fetched with the settings' page cache. Raises
    ``InputError`` when there are no inputs at all.
    """
    loaded = list(context.articles(inputs))
    if not loaded:
        raise InputError("no inputs given")
    return loaded


def synthesize_files(
    inputs: Iterable[str | Path], context: RunContext | None = None, **options: Unpack[ContextOptions]
) -> SynthesisRun:
    """Brief every article in ``inputs`` (reusing cached briefs), then synthesize the briefs.

    Takes a ``RunContext`` or its options (``provider``, ``settings``,
    ``cache``, ``progress``). A bad input or a failed brief is recorded and
    the rest go on; a failed synthesis is recorded in ``synthesis_error``.
    """
    run_context = RunContext.of(context, **options)
    loaded = load_inputs(inputs, run_context)
    progress = run_context.progress
    if progress:
        progress.start(len(loaded))
    outcomes: list[BriefOutcome] = []
    with run_context.active_provider() as provider:
        for outcome in iter_briefs(loaded, provider, run_context):
            outcomes.append(outcome)
            if progress:
                progress.advance(outcome)
        run = SynthesisRun(outcomes=outcomes, synthesis=None)
        if not run.briefs:
            run.synthesis_error = "no article could be briefed"
            return run
        synthesize_run(run, provider, run_context)
    return run


def synthesize_run(run: SynthesisRun, provider: Provider, context: RunContext) -> None:
    """Synthesize the run's briefs into ``run.synthesis``; a failed synthesis is recorded in ``run.synthesis_error``."""
    recipe = context.synthesis_recipe(provider)
    cache = context.cache
    key = recipe.key(run.briefs, run.articles) if cache is not None else ""
    cached = cache.get_synthesis(key) if cache is not None else None
    if cached is not None:
        run.synthesis, run.synthesis_cached = cached, True
        return
    try:
        run.synthesis = synthesize_with(
            run.briefs, run.articles, provider, recipe, context.progress.stage if context.progress else None
        )
    except RunError as exc:
        run.synthesis_error = str(exc)
        return
    if cache is not None:
        cache.put_synthesis(key, run.synthesis)
