"""Briefing one article: render the prompt, call the provider, assemble and check the brief.

An article too long for the provider's context is briefed in parts (on
paragraph boundaries) and the parts' briefs merged. The optional grounding
re-ask (``Settings.grounding_reasks``) names unsupported items and merges
what the second answer verifies.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.brief.assemble import brief_from_draft
from summarizer.brief.draft import BriefDraft
from summarizer.brief.parts import merge_briefs, split_into_parts
from summarizer.brief.reask import fix_request, merge_reask, problems_of
from summarizer.brief.salvage import salvage_brief_draft
from summarizer.brief.schema import ArticleBrief
from summarizer.brief.verify import verify_brief
from summarizer.concurrency import run_shared
from summarizer.inputs.article import Article
from summarizer.inputs.loading import load_article
from summarizer.nlp.analysis import analyse
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest, Provider, Usage
from summarizer.providers.budget import fits
from summarizer.providers.factory import provider_scope
from summarizer.settings import Settings, settings_for_call

BRIEF_PROMPT_ID = "brief"
BRIEF_PARAMS = GenerationParams(temperature=0.0, max_tokens=700, seed=0)
FIX_NOTE_TOKENS = 300  # room for the follow-up note of a grounding re-ask


def brief_prompt(settings: Settings) -> Prompt:
    """The brief prompt, from ``settings.prompts_dir`` or the packaged library."""
    return get_prompt(BRIEF_PROMPT_ID, settings.prompts_dir)


def build_brief_request(article: Article, prompt: Prompt | None = None) -> ModelRequest[BriefDraft]:
    """Render the brief prompt for ``article`` into a provider request."""
    prompt = prompt or get_prompt(BRIEF_PROMPT_ID)
    sentences = article.sentences
    quotes = [
        {
            "number": quote.number,
            "sentence": quote.sentence,
            "text": _shortened(quote.text),
            "speaker": quote.speaker.text if quote.speaker else None,
        }
        for quote in analyse(article).quotes
    ]
    messages = prompt.render(article_id=article.id, title=article.title, sentences=sentences, quotes=quotes)
    context = {"sentences": sentences, "text": article.text, "quotes": len(quotes)}
    return ModelRequest(
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        messages=messages,
        response_model=BriefDraft,
        params=BRIEF_PARAMS,
        validation_context=context,
        salvage=lambda content: salvage_brief_draft(content, context),
        subject=article.id,
    )


QUOTE_WORDS_SHOWN = 25  # the model chooses among quotations; it need not read all of a long one


def _shortened(text: str) -> str:
    """A quotation on one line, cut to its first words."""
    words = text.split()
    return " ".join(words[:QUOTE_WORDS_SHOWN]) + (" …" if len(words) > QUOTE_WORDS_SHOWN else "")


def brief_requests(article: Article, prompt: Prompt, context_tokens: int) -> list[tuple[Article, ModelRequest[BriefDraft]]]:
    """The requests briefing ``article`` takes: one for the whole, or one per part when it does not fit the context."""
    whole = build_brief_request(article, prompt)
    if fits(whole, context_tokens, FIX_NOTE_TOKENS):
        return [(article, whole)]

    def fits_whole(candidate: Article) -> bool:
        return fits(build_brief_request(candidate, prompt), context_tokens, FIX_NOTE_TOKENS)

    return [(part, build_brief_request(part, prompt)) for part in split_into_parts(article, fits_whole)]


def brief_with(article: Article, provider: Provider, settings: Settings) -> ArticleBrief:
    """Brief ``article`` with ``provider`` (in parts if it is too long), then check it against the text."""
    prompt = brief_prompt(settings)
    requests = brief_requests(article, prompt, provider.context_tokens)
    briefs = [_brief_answer(part, provider, prompt, settings.grounding_reasks, request) for part, request in requests]
    brief = briefs[0] if len(briefs) == 1 and requests[0][0] is article else merge_briefs(article, briefs)
    return brief.model_copy(update={"grounding": verify_brief(brief, article)})


def _brief_answer(
    article: Article, provider: Provider, prompt: Prompt, grounding_reasks: int, request: ModelRequest[BriefDraft]
) -> ArticleBrief:
    """One request; while grounding finds unsupported items, ask again (at most ``grounding_reasks`` times).

    Each re-ask's verified items are added to what the earlier answers
    verified (``merge_reask``). What is still unsupported is removed (names,
    speakers, quotes) or kept and marked (numbers in free text), and listed.
    """
    first_request = request
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


def brief_article(
    article: Article | str | Path,
    *,
    provider: Provider | None = None,
    settings: Settings | None = None,
) -> ArticleBrief:
    """Brief one article (an ``Article``, or a path to a text or HTML file).

    Pass a ``provider`` to reuse one across calls (one model load for a
    batch); otherwise one is built from ``settings`` and closed afterwards.
    With neither, settings come from the environment; with either, the
    environment is not read.
    """
    loaded = article if isinstance(article, Article) else load_article(article)
    chosen = settings_for_call(settings, provider_given=provider is not None)
    with provider_scope(provider, chosen) as active:
        return brief_with(loaded, active, chosen)


async def brief_article_async(
    article: Article | str | Path,
    *,
    provider: Provider | None = None,
    settings: Settings | None = None,
) -> ArticleBrief:
    """``brief_article`` for async callers: ``asyncio.gather`` over many runs up to the concurrency setting at once.

    The calls share one pool of ``Settings.concurrency`` threads (default 8
    for an endpoint, 1 for the local model); pass one ``provider`` to every
    call so they share one client (and one model load).
    """
    chosen = settings_for_call(settings, provider_given=provider is not None)
    workers = chosen.workers_for(provider.name if provider is not None else chosen.provider_name())
    return await run_shared(workers, brief_article, article, provider=provider, settings=settings)
