"""The library's single calls: one article's brief, one synthesis of briefs, and their async forms.

Each takes a ``RunContext`` or its options (``provider``, ``settings``,
``cache``). Pass one ``provider`` to many calls to share one client (and one
model load); without one, a provider is built from the settings for the
call and closed after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Unpack

from summarizer.brief.schema import ArticleBrief
from summarizer.concurrency import run_shared
from summarizer.errors import InputError
from summarizer.inputs.article import Article
from summarizer.inputs.fetched import is_url
from summarizer.inputs.loading import load_article
from summarizer.runs.context import ContextOptions, RunContext
from summarizer.runs.outcome import brief_cached
from summarizer.synthesis.pipeline import synthesize_with
from summarizer.synthesis.schema import Synthesis


def brief_article(
    article: Article | str | Path, context: RunContext | None = None, **options: Unpack[ContextOptions]
) -> ArticleBrief:
    """Brief one article (an ``Article``, or a path to a text or HTML file, or an ``http(s)`` page).

    With neither a ``provider`` nor ``settings``, settings come from the
    environment; with either, the environment is not read. A brief cache
    (``cache``) is read and written as the batch runs do.
    """
    run_context = RunContext.of(context, **options)
    if isinstance(article, Article):
        loaded = article
    elif is_url(str(article)):
        with run_context.page_fetcher() as fetcher:
            loaded = load_article(article, fetcher)
    else:
        loaded = load_article(article)
    with run_context.active_provider() as provider:
        brief, _ = brief_cached(loaded, provider, run_context.brief_recipe(provider), run_context.cache)
        return brief


async def brief_article_async(
    article: Article | str | Path, context: RunContext | None = None, **options: Unpack[ContextOptions]
) -> ArticleBrief:
    """``brief_article`` for async callers: ``asyncio.gather`` over many runs up to the concurrency setting at once.

    The calls share one pool of ``Settings.concurrency`` threads (default 8
    for an endpoint, 1 for the local model).
    """
    run_context = RunContext.of(context, **options)
    return await run_shared(run_context.workers(), brief_article, article, run_context)


def synthesize(
    briefs: Sequence[ArticleBrief],
    context: RunContext | None = None,
    *,
    articles: Sequence[Article] = (),
    **options: Unpack[ContextOptions],
) -> Synthesis:
    """What several articles say together: overview, themes, agreements, disagreements, timeline, actors.

    ``articles`` (the briefed articles) let the synthesis work from all their
    sentences and date events against their publication dates; without
    them it works from the briefs' key points.
    """
    if not briefs:
        raise InputError("nothing to synthesize: no briefs")
    run_context = RunContext.of(context, **options)
    with run_context.active_provider() as provider:
        stage = run_context.progress.stage if run_context.progress else None
        return synthesize_with(briefs, articles, provider, run_context.synthesis_recipe(provider), stage)


async def synthesize_async(
    briefs: Sequence[ArticleBrief],
    context: RunContext | None = None,
    *,
    articles: Sequence[Article] = (),
    **options: Unpack[ContextOptions],
) -> Synthesis:
    """``synthesize`` for async callers, in the shared pool of ``Settings.concurrency`` threads (see ``brief_article_async``)."""
    run_context = RunContext.of(context, **options)
    return await run_shared(run_context.workers(), synthesize, briefs, run_context, articles=articles)
