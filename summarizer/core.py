"""summarize_article: render the prompt, call the provider, build the brief."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from summarizer.articles import load_article
from summarizer.config import Settings, build_provider
from summarizer.errors import InputError, SummarizerError
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest, ModelResult, Provider
from summarizer.schemas import (
    Article,
    ArticleBrief,
    BriefDraft,
    DateMention,
    Entity,
    GeneratedBy,
    KeyPoint,
    EntityType,
    Quote,
    RemovedItem,
    Span,
)
from summarizer.grounding import derive_iso_date, fix_initial_spacing, fold, occurs_in
from summarizer.sentences import Sentence, quoted_spans_in

BRIEF_PROMPT_ID = "brief"
BRIEF_PARAMS = GenerationParams(temperature=0.0, max_tokens=700, seed=0)
CHARS_PER_TOKEN = 3.5  # a conservative average for English news text


def estimate_tokens(text: str) -> int:
    """A rough token count, enough to refuse prompts that cannot fit."""
    return int(len(text) / CHARS_PER_TOKEN) + 1


def build_brief_request(article: Article, prompt: Prompt | None = None) -> ModelRequest[BriefDraft]:
    """Render the brief prompt for ``article`` into a provider request."""
    prompt = prompt or get_prompt(BRIEF_PROMPT_ID)
    sentences = article.sentences
    messages = prompt.render(article_id=article.id, title=article.title, sentences=sentences)
    return ModelRequest(
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        messages=messages,
        response_model=BriefDraft,
        params=BRIEF_PARAMS,
        validation_context={"sentences": sentences, "text": article.text},
    )


def _quote_text(article: Article, sentence: Sentence) -> tuple[str, Span] | None:
    """The longest quotation overlapping ``sentence``, copied from the article."""
    spans = quoted_spans_in(article.text, sentence.start, sentence.end)
    if not spans:
        return None
    start, end = max(spans, key=lambda span: span[1] - span[0])
    return article.text[start:end], Span(start=start, end=end)


def _grounded_names(
    draft: BriefDraft, article: Article, removed: list[RemovedItem]
) -> list[Entity]:
    entities: list[Entity] = []
    seen: set[str] = set()
    typed_lists: list[tuple[str, EntityType, list[str]]] = [
        ("people", "person", draft.people),
        ("orgs", "organization", draft.orgs),
        ("places", "location", draft.places),
    ]
    for field, entity_type, names in typed_lists:
        for raw_name in names:
            name = fix_initial_spacing(raw_name.strip())
            if fold(name) in seen:
                continue
            seen.add(fold(name))
            if occurs_in(name, article.text):
                entities.append(Entity(name=name, type=entity_type))
            else:
                removed.append(RemovedItem(field=field, value=raw_name, reason="name does not occur in the article"))
    return entities


def _grounded_dates(draft: BriefDraft, article: Article, removed: list[RemovedItem]) -> list[DateMention]:
    dates: list[DateMention] = []
    for text in dict.fromkeys(date.strip() for date in draft.dates):
        if occurs_in(text, article.text):
            dates.append(DateMention(text=text, iso=derive_iso_date(text)))
        else:
            removed.append(RemovedItem(field="dates", value=text, reason="date is not written in the article"))
    return dates


def _quotes(draft: BriefDraft, article: Article, removed: list[RemovedItem]) -> list[Quote]:
    sentences = article.sentences
    quotes: list[Quote] = []
    seen_spans: set[tuple[int, int]] = set()
    for quote in draft.quotes:
        speaker = fix_initial_spacing(quote.by.strip())
        found = _quote_text(article, sentences[quote.s - 1])
        if found is None:
            removed.append(
                RemovedItem(field="quotes", value=f"{speaker}: sentence {quote.s}", reason="sentence has no quotation")
            )
            continue
        text, span = found
        if (span.start, span.end) in seen_spans:
            continue
        seen_spans.add((span.start, span.end))
        if not occurs_in(speaker, article.text):
            removed.append(RemovedItem(field="quotes", value=f"{speaker}: {text}", reason="speaker is not named in the article"))
            continue
        quotes.append(Quote(speaker=speaker, text=text, sentence=quote.s, span=span))
    return quotes


def brief_from_draft(article: Article, result: ModelResult[BriefDraft], prompt: Prompt) -> ArticleBrief:
    """Turn the model's draft into the user-facing brief.

    Evidence and quote text are copied from the article by code; names,
    dates and speakers the article does not contain are removed and listed
    in ``removed``, never silently kept or dropped.
    """
    draft = result.output
    sentences = article.sentences
    removed: list[RemovedItem] = []
    key_points = [
        KeyPoint(
            text=sentences[number - 1].text,
            evidence=sentences[number - 1].text,
            sentence=number,
            span=Span(start=sentences[number - 1].start, end=sentences[number - 1].end),
        )
        for number in draft.key
    ]
    return ArticleBrief(
        article_id=article.id,
        source=article.source,
        headline=fix_initial_spacing(draft.headline.strip()),
        summary=fix_initial_spacing(draft.summary.strip()),
        key_points=key_points,
        entities=_grounded_names(draft, article, removed),
        quotes=_quotes(draft, article, removed),
        dates=_grounded_dates(draft, article, removed),
        removed=removed,
        generated_by=GeneratedBy(
            provider=result.provider, model=result.model, prompt_id=prompt.id, prompt_version=prompt.version
        ),
        usage=result.usage,
    )


@contextmanager
def _provider_for(provider: Provider | None, settings: Settings | None) -> Iterator[Provider]:
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


def _summarize_with(article: Article, provider: Provider) -> ArticleBrief:
    prompt = get_prompt(BRIEF_PROMPT_ID)
    request = build_brief_request(article, prompt)
    prompt_tokens = sum(estimate_tokens(message["content"]) for message in request.messages)
    budget = provider.context_tokens - request.params.max_tokens
    if prompt_tokens > budget:
        raise InputError(
            f"{article.source}: about {prompt_tokens:,} prompt tokens exceed the provider's budget of "
            f"{budget:,} (context {provider.context_tokens:,}); use a provider with a larger context"
        )
    return brief_from_draft(article, provider.complete(request), prompt)


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
    with _provider_for(provider, settings) as active:
        return _summarize_with(loaded, active)


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
    """The result for one input: a brief, or the error that stopped it."""

    source: str
    brief: ArticleBrief | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.brief is not None


def summarize_files(sources: Iterable[str | Path], provider: Provider) -> Iterator[BriefOutcome]:
    """Brief each source in turn; a failure is reported and the others go on."""
    for source in sources:
        try:
            yield BriefOutcome(source=str(source), brief=_summarize_with(load_article(source), provider))
        except SummarizerError as exc:
            yield BriefOutcome(source=str(source), error=str(exc))
