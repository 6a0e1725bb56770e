"""summarize_article: render the prompt, call the provider (re-asking on grounding failures), build the brief."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
from summarizer.schemas import (
    SALVAGE_REASONS,
    Article,
    ArticleBrief,
    BriefDraft,
    RemovedItem,
    Usage,
    salvage_brief_draft,
)
from summarizer.verify import verify_brief

BRIEF_PROMPT_ID = "brief"
BRIEF_PARAMS = GenerationParams(temperature=0.0, max_tokens=700, seed=0)
DEFAULT_GROUNDING_REASKS = 1  # each costs a full answer on the local model (about 20 s)
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


def _fix_request(request: ModelRequest[BriefDraft], problems: list[RemovedItem], prompt: Prompt) -> ModelRequest[BriefDraft]:
    """The original request with a note naming each unsupported item.

    The earlier answer is deliberately not replayed: a small model at
    temperature 0 shown its own answer tends to repeat it verbatim.
    """
    *earlier, article_message = request.messages
    note = prompt.render_fix(problems=problems)["content"]
    return replace(request, messages=[*earlier, {"role": "user", "content": article_message["content"] + "\n\n" + note}])


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


def _problems(brief: ArticleBrief) -> list[RemovedItem]:
    """What grounding found unsupported (not what salvage cut for breaking a rule)."""
    return [item for item in brief.removed + brief.unverified if item.reason not in SALVAGE_REASONS]


def _brief_one(article: Article, provider: Provider, prompt: Prompt, grounding_reasks: int) -> ArticleBrief:
    """One request; while grounding finds unsupported items, ask again (at most ``grounding_reasks`` times).

    The answer with the fewest unsupported items wins (a small model can get
    worse when re-asked). What is still unsupported in it is removed (names,
    dates, quotes) or kept and marked (numbers in free text), and listed.
    """
    first_request = build_brief_request(article, prompt)
    result = provider.complete(first_request)
    usage = result.usage
    best = brief_from_draft(article, result, prompt)
    for _ in range(grounding_reasks):
        if not _problems(best) or prompt.fix is None:
            break
        result = provider.complete(_fix_request(first_request, _problems(best), prompt))
        usage = usage + result.usage + Usage(grounding_reasks=1)
        candidate = brief_from_draft(article, result, prompt)
        if len(_problems(candidate)) <= len(_problems(best)):
            best = candidate
    return best.model_copy(update={"usage": usage})


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
