"""Articles parsed ahead of their briefs: in this process, or in a pool of worker processes on every core.

Parsing (spaCy) and reading features off the parse are most of a brief's
own CPU time (``bench/profile_brief.py``). Under one interpreter lock they
run on one core however many requests are in flight; in worker processes
they run on all of them. Each worker loads the pipeline once and parses a
batch of articles per call (``nlp.pipe``); it sends back what the brief
reads of the parse (the analysis and the sentences as passages), which
this process keeps where the brief looks for them (``remember_analysis``,
``remember_passages``). The brief itself, its requests and their
concurrency stay in this process, so the results are the same as without
the pool (tested).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from summarizer.checks.passage import ArticlePassage, passages_of
from summarizer.checks.summary import remember_passages
from summarizer.inputs.article import Article
from summarizer.inputs.loading import LoadedArticle
from summarizer.nlp.analysis import ArticleAnalysis, analyse, parse_ahead, remember_analysis
from summarizer.nlp.pipeline import load_pipeline

logger = logging.getLogger(__name__)

Prepared = tuple[ArticleAnalysis, list[ArticlePassage]]
Pending = deque[tuple[list[LoadedArticle], list[Article], "Future[list[Prepared]]"]]  # batches sent to the pool


def prepare(articles: list[Article]) -> list[Prepared]:
    """Parse ``articles`` in one batch and read off each one what its brief needs (run in a worker process)."""
    parse_ahead(articles)
    return [(analyse(article), passages_of(article)) for article in articles]


def _start_worker() -> None:
    logging.getLogger().addHandler(logging.NullHandler())
    load_pipeline()


def _keep(articles: list[Article], prepared: list[Prepared]) -> None:
    for article, (analysis, passages) in zip(articles, prepared, strict=True):
        remember_analysis(article, analysis)
        remember_passages(article, passages)


def parsed_ahead(
    loaded: Iterable[LoadedArticle], to_parse: Callable[[Article], bool], batch: int, processes: int
) -> Iterator[LoadedArticle]:
    """``loaded`` as it is, each batch's articles (those ``to_parse``) parsed before any of them is handed out.

    The first batch is parsed here; the rest, with ``processes`` > 1, in a
    pool of that many worker processes, started only when a second batch
    exists (a small run pays no start-up), with a few batches parsed ahead.
    A batch whose worker fails is left to be parsed here, when its briefs
    need it.
    """
    source = iter(loaded)
    first = list(islice(source, batch))
    parse_ahead(_wanted(first, to_parse))
    yield from first
    if processes <= 1:
        while chunk := list(islice(source, batch)):
            parse_ahead(_wanted(chunk, to_parse))
            yield from chunk
        return
    chunk = list(islice(source, batch))
    if not chunk:
        return
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)
    finished = False
    try:
        pending: Pending = deque()
        while chunk or pending:
            while chunk and len(pending) <= processes:
                articles = _wanted(chunk, to_parse)
                pending.append((chunk, articles, pool.submit(prepare, articles)))
                chunk = list(islice(source, batch))
            ready, articles, future = pending.popleft()
            try:
                _keep(articles, future.result())
            except BrokenProcessPool:
                logger.warning("the parsing workers stopped; the rest is parsed in this process")
                yield from ready
                yield from parsed_ahead(_rest(pending, chunk, source), to_parse, batch, processes=1)
                return
            except Exception as exc:  # noqa: BLE001 - the briefs parse what is missing themselves
                logger.warning("a parsing worker failed (%s); those articles are parsed in this process", exc)
            yield from ready
        finished = True
    finally:  # a run that stopped (an error, or its briefs abandoned) leaves the workers at once
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _rest(
    pending: Iterable[tuple[list[LoadedArticle], object, object]], chunk: list[LoadedArticle], source: Iterator[LoadedArticle]
) -> Iterator[LoadedArticle]:
    for ready, _, _ in pending:
        yield from ready
    yield from chunk
    yield from source


def _wanted(chunk: list[LoadedArticle], to_parse: Callable[[Article], bool]) -> list[Article]:
    return [item.article for item in chunk if item.article is not None and to_parse(item.article)]
