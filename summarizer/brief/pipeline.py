"""Briefing one article: render the prompt, call the provider, assemble and check the brief.

An article too long for the provider's context is briefed in parts (on
paragraph boundaries) and the parts' briefs merged. The optional grounding
re-ask (``Settings.grounding_reasks``) names unsupported items and merges
what the second answer verifies.
"""

from __future__ import annotations

from summarizer.brief.assemble import brief_from_draft
from summarizer.brief.draft import BriefDraft
from summarizer.brief.parts import merge_briefs, split_into_parts
from summarizer.brief.reask import fix_request, merge_reask, problems_of
from summarizer.brief.recipe import BRIEF_PROMPT_ID, BriefRecipe
from summarizer.brief.salvage import salvage_brief_draft
from summarizer.brief.schema import ArticleBrief
from summarizer.brief.verify import verify_brief
from summarizer.inputs.article import Article
from summarizer.nlp.analysis import analyse
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest, Provider, Usage
from summarizer.providers.budget import fits

BRIEF_PARAMS = GenerationParams(temperature=0.0, max_tokens=700, seed=0)
FIX_NOTE_TOKENS = 300  # room for the follow-up note of a grounding re-ask


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
    context = {"sentences": sentences, "text": article.text, "quotes": len(quotes)}
    return ModelRequest.from_prompt(
        prompt,
        {"article_id": article.id, "title": article.title, "sentences": sentences, "quotes": quotes},
        BriefDraft,
        BRIEF_PARAMS,
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


def brief_with(article: Article, provider: Provider, recipe: BriefRecipe) -> ArticleBrief:
    """Brief ``article`` with ``provider`` as ``recipe`` says (in parts if it is too long), then check it against the text."""
    requests = brief_requests(article, recipe.prompt, provider.context_tokens)
    briefs = [_brief_answer(part, provider, recipe, request) for part, request in requests]
    brief = briefs[0] if len(briefs) == 1 and requests[0][0] is article else merge_briefs(article, briefs)
    return brief.model_copy(update={"grounding": verify_brief(brief, article)})


def _brief_answer(article: Article, provider: Provider, recipe: BriefRecipe, request: ModelRequest[BriefDraft]) -> ArticleBrief:
    """One request; while grounding finds unsupported items, ask again (at most ``recipe.grounding_reasks`` times).

    Each re-ask's verified items are added to what the earlier answers
    verified (``merge_reask``). What is still unsupported is removed (names,
    speakers, quotes) or kept and marked (numbers in free text), and listed.
    """
    prompt = recipe.prompt
    result = provider.complete(request)
    usage = result.usage
    brief = brief_from_draft(article, result, prompt)
    for _ in range(recipe.grounding_reasks):
        problems = problems_of(brief)
        if not problems or prompt.fix is None:
            break
        result = provider.complete(fix_request(request, problems, prompt))
        usage = usage + result.usage + Usage(grounding_reasks=1)
        brief = merge_reask(brief, brief_from_draft(article, result, prompt))
    return brief.model_copy(update={"usage": usage})
