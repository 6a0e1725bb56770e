"""summarize_article: render the prompt, call the provider (re-asking on grounding failures), build the brief."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.articles import LoadedArticle, iter_articles, load_article
from summarizer.cache import BriefCache
from summarizer.chunking import merge_briefs, split_into_parts
from summarizer.config import Settings, build_provider
from summarizer.draft_to_brief import brief_from_draft
from summarizer.errors import SummarizerError
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest, Provider
from summarizer.grounding_reask import fix_request, merge_reask, problems_of
from summarizer.schemas import Article, ArticleBrief, BriefDraft, Usage, salvage_brief_draft
from summarizer.verify import verify_brief

BRIEF_PROMPT_ID = "brief"
BRIEF_PARAMS = GenerationParams(temperature=0.0, max_tokens=700, seed=0)
# Off by default: on the local model a re-ask costs a second full answer (12-22 s),
# and code already removes what the article does not support (bench/grounding.py).
DEFAULT_GROUNDING_REASKS = 0
CHARS_PER_TOKEN = 3.5  # a conservative average for English news text


def estimate_tokens(text: str) -> int:
    """A rough token count, enough to refuse prompts that cannot fit."""
    return int(len(text) / CHARS_PER_TOKEN) + 1


def build_brief_request(article: Article, prompt: Prompt | None = None) -> ModelRequest[BriefDraft]:
    """Render the brief prompt for ``article`` into a provider request."""
    prompt = prompt or get_prompt(BRIEF_PROMPT_ID)
    sentences = article.sentences
    messages = prompt.render(article_id=article.id, title=article.title, sentences=sentences)
    context = {"sentences": sentences, "text": article.text}
    return ModelRequest(
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        messages=messages,
        response_model=BriefDraft,
        params=BRIEF_PARAMS,
        validation_context=context,
        salvage=lambda content: salvage_brief_draft(content, context),
    )


@contextmanager
def provider_scope(provider: Provider | None, settings: Settings | None) -> Iterator[Provider]:
    """Use ``provider`` as is, or build one from ``settings`` and close it afterwards."""
    if provider is not None:
        yield provider
        return
    owned = build_provider(settings or Settings.from_env())
    try:
        yield owned
    finally:
        owned.close()


def _as_article(article: Article | str | Path) -> Article:
    return article if isinstance(article, Article) else load_article(article)


FIX_NOTE_TOKENS = 300  # room for the follow-up note of a grounding re-ask
REASK_ALLOWANCE = 2  # a re-ask resends the conversation plus each earlier answer and its error
REASK_NOTE_TOKENS = 600  # instructor's error message quotes the invalid values


def request_tokens(request: ModelRequest[Any]) -> int:
    """What a call may need of the context: its prompt, the answer, and room for re-asks.

    A validation re-ask (instructor) appends the previous answer and the
    error, so the worst case holds one more answer and error per re-ask.
    """
    reasks = REASK_ALLOWANCE if request.max_reasks is None else request.max_reasks
    prompt = sum(estimate_tokens(message["content"]) for message in request.messages)
    return prompt + request.params.max_tokens * (1 + reasks) + reasks * REASK_NOTE_TOKENS


def _fits(article: Article, prompt: Prompt, provider: Provider) -> bool:
    request = build_brief_request(article, prompt)
    return request_tokens(request) + FIX_NOTE_TOKENS <= provider.context_tokens


def _summarize_with(article: Article, provider: Provider, grounding_reasks: int = DEFAULT_GROUNDING_REASKS) -> ArticleBrief:
    """Brief ``article`` (in parts if it is too long for the provider), then check it against the text."""
    prompt = get_prompt(BRIEF_PROMPT_ID)
    if _fits(article, prompt, provider):
        brief = _brief_one(article, provider, prompt, grounding_reasks)
    else:
        parts = split_into_parts(article, lambda part: _fits(part, prompt, provider))
        brief = merge_briefs(article, [_brief_one(part, provider, prompt, grounding_reasks) for part in parts])
    return brief.model_copy(update={"grounding": verify_brief(brief, article)})


def _brief_one(article: Article, provider: Provider, prompt: Prompt, grounding_reasks: int) -> ArticleBrief:
    """One request; while grounding finds unsupported items, ask again (at most ``grounding_reasks`` times).

    Each re-ask's verified items are added to what the earlier answers
    verified (``merge_reask``). What is still unsupported is removed (names,
    speakers, quotes) or kept and marked (numbers in free text), and listed.
    """
    first_request = build_brief_request(article, prompt)
    result = provider.complete(first_request)
    usage = result.usage
    brief = brief_from_draft(article, result, prompt)
    for _ in range(grounding_reasks):
        problems = problems_of(brief)
        if not problems or prompt.fix is None:
            break
        result = provider.complete(fix_request(first_request, problems, prompt))
        usage = usage + result.usage + Usage(grounding_reasks=1)
        brief = merge_reask(brief, brief_from_draft(article, result, prompt))
    return brief.model_copy(update={"usage": usage})


def summarize_article(
    article: Article | str | Path,
    *,
    provider: Provider | None = None,
    settings: Settings | None = None,
) -> ArticleBrief:
    """Brief one article (an ``Article``, or a path to a text file).

    Pass a ``provider`` to reuse one across calls (one model load for a
    batch); otherwise one is built from ``settings`` (default: the
    environment) and closed afterwards.
    """
    loaded = _as_article(article)
    settings = settings or Settings.from_env()
    with provider_scope(provider, settings) as active:
        return _summarize_with(loaded, active, settings.grounding_reasks)


async def summarize_article_async(
    article: Article | str | Path,
    *,
    provider: Provider | None = None,
    settings: Settings | None = None,
) -> ArticleBrief:
    """``summarize_article`` run in a worker thread, for async callers."""
    return await asyncio.to_thread(summarize_article, article, provider=provider, settings=settings)


@dataclass
class BriefOutcome:
    """The result for one input article: a brief, or the error that stopped it."""

    source: str
    brief: ArticleBrief | None = None
    error: str | None = None
    article: Article | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.brief is not None


def brief_article_cached(
    article: Article, provider: Provider, *, cache: BriefCache | None = None,
    grounding_reasks: int = DEFAULT_GROUNDING_REASKS,
) -> tuple[ArticleBrief, bool]:  # fmt: skip
    """Brief ``article``, reusing a cached brief made the same way; returns (brief, was_cached)."""
    if cache is None:
        return _summarize_with(article, provider, grounding_reasks), False
    prompt = get_prompt(BRIEF_PROMPT_ID)
    key = BriefCache.key(article, prompt.id, prompt.version, provider.name, provider.model, grounding_reasks)
    cached = cache.get(key)
    if cached is not None:
        return cached, True
    brief = _summarize_with(article, provider, grounding_reasks)
    cache.put(key, brief)
    return brief, False


def summarize_files(
    sources: Iterable[str | Path],
    provider: Provider,
    *,
    grounding_reasks: int = DEFAULT_GROUNDING_REASKS,
    cache: BriefCache | None = None,
) -> Iterator[BriefOutcome]:
    """Brief every article the sources hold (files, directories, globs, JSONL, '-').

    A failure is reported as an outcome and the others go on. With a
    ``cache``, briefs already made the same way are reused (a rerun after an
    interruption redoes only what is missing).
    """
    for loaded in iter_articles(sources):
        yield brief_loaded(loaded, provider, grounding_reasks=grounding_reasks, cache=cache)


def brief_loaded(
    loaded: LoadedArticle, provider: Provider, *, grounding_reasks: int = DEFAULT_GROUNDING_REASKS,
    cache: BriefCache | None = None,
) -> BriefOutcome:  # fmt: skip
    """The outcome for one loaded input: its brief, or the error from loading or briefing it."""
    if loaded.article is None:
        return BriefOutcome(source=loaded.source, error=loaded.error)
    try:
        brief, cached = brief_article_cached(loaded.article, provider, cache=cache, grounding_reasks=grounding_reasks)
    except SummarizerError as exc:
        return BriefOutcome(source=loaded.source, article=loaded.article, error=str(exc))
    return BriefOutcome(source=loaded.source, article=loaded.article, brief=brief, cached=cached)
