"""From the model's draft to the user's brief: code supplies the facts, the model's choices pick among them.

Evidence is the cited sentences; names, quotations, speakers and dates are
what code found in the article (``nlp``, ``text.dates``), so all are
verbatim by construction. The model's free text is checked: numbers the
article does not write are listed as unverified, text that repeats an
injected instruction is replaced, and text cut off mid-sentence is trimmed.
"""

from __future__ import annotations

from summarizer.brief.draft import HEADLINE_MAX, MAX_NAMES_PER_TYPE, MAX_QUOTES, SUMMARY_MAX, BriefDraft
from summarizer.brief.meaning import keep_supported_headline_and_summary, lead
from summarizer.brief.salvage import CUT_AT_LIMIT, CUT_MID_CLAUSE
from summarizer.brief.schema import MAX_DATES, ArticleBrief, DateMention, Entity, GeneratedBy, KeyPoint, Quote, Span
from summarizer.inputs.article import Article
from summarizer.nlp.analysis import analyse
from summarizer.prompts import Prompt
from summarizer.providers.base import FlaggedItem, ModelResult, endpoint_host
from summarizer.text.dates import find_date_expressions, resolve_date
from summarizer.text.matching import fix_initial_spacing, fold, number_occurs, numbers_in, word_stems
from summarizer.text.sentences import closes_sentence, ends_mid_clause, split_sentences

INJECTED = "occurs only in a sentence that gives instructions to the model"


def names_in(article: Article) -> list[Entity]:
    """The article's people, organizations and places, found by code (merged, typed, most salient first)."""
    by_type: dict[str, list[Entity]] = {}
    for name in analyse(article).names:
        listed = by_type.setdefault(name.type, [])
        if len(listed) < MAX_NAMES_PER_TYPE:
            listed.append(Entity(name=name.name, type=name.type))
    return [entity for kind in ("person", "organization", "location") for entity in by_type.get(kind, [])]


def dates_in_article(article: Article) -> list[DateMention]:
    """Every distinct date expression the article's sentences write, in order, resolved where it can be.

    Code finds the dates, so a brief never lists one the article does not
    write; sentences that give instructions to a model are left out.
    """
    injected = set(article.instruction_sentences())
    dates: dict[str, DateMention] = {}
    for sentence in article.sentences:
        if sentence.number in injected:
            continue
        for text in find_date_expressions(sentence.text):
            if fold(text) not in dates:
                resolved = resolve_date(text, article.published, article.published_from)
                dates[fold(text)] = DateMention(**resolved.model_dump(), sentence=sentence.number)
    return list(dates.values())[:MAX_DATES]


def _trim_cut_text(field: str, text: str, limit: int, removed: list[FlaggedItem]) -> str:
    """Free text the length limit cut mid-sentence, back to its last whole sentence (or word, with an ellipsis)."""
    if len(text) < limit:  # the grammar stops a string exactly at its limit
        return text.strip()
    text = text.strip()
    if text.endswith((".", "!", "?", '"', "\u201d")):
        return text
    whole = [sentence for sentence in split_sentences(text) if sentence.text.rstrip().endswith((".", "!", "?"))]
    kept = text[: whole[-1].end].rstrip() if whole else text.rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    removed.append(FlaggedItem(field=field, value=text[len(kept.rstrip("…")) :].strip(), reason=CUT_AT_LIMIT))
    return kept


ENDS_MID_CLAUSE = "ends mid-clause, as if cut off; the article's first sentence stands instead"


def _finished_summary(summary: str, removed: list[FlaggedItem], article: Article) -> str:
    """``summary`` without a last sentence that stops mid-clause or unpunctuated (listed); a lone one gives way to the lead."""
    sentences = split_sentences(summary)
    if not sentences or not (ends_mid_clause(sentences[-1].text) or not closes_sentence(sentences[-1].text)):
        return summary
    if len(sentences) == 1:
        removed.append(FlaggedItem(field="summary", value=sentences[-1].text, reason=ENDS_MID_CLAUSE))
        return lead(article)
    removed.append(FlaggedItem(field="summary", value=sentences[-1].text, reason=CUT_MID_CLAUSE))
    return summary[: sentences[-2].end].rstrip()


def _quotes(draft: BriefDraft, article: Article) -> list[Quote]:
    """The quotations the model chose, as code found them: verbatim text and speaker, with their spans.

    When none of the model's choices has a known speaker but the article
    quotes someone by name, the first such quotation is added, so a brief of
    an article that quotes someone carries at least one quote with its
    speaker.
    """
    found = {quote.number: quote for quote in analyse(article).quotes}
    chosen = [found[number] for number in draft.quotes if number in found]
    if not any(quote.speaker is not None for quote in chosen):
        attributed = [quote for quote in found.values() if quote.speaker is not None][:1]
        chosen = sorted([*chosen, *attributed], key=lambda quote: quote.number)[:MAX_QUOTES]
    return [
        Quote(
            speaker=quote.speaker.text if quote.speaker else None,
            text=quote.text,
            sentence=quote.sentence,
            span=Span(start=quote.start, end=quote.end),
            speaker_span=Span(start=quote.speaker.start, end=quote.speaker.end) if quote.speaker else None,
        )
        for quote in chosen
    ]


# The wording of an instruction itself ("ignore", "write a headline saying"), as
# opposed to its payload ("the mayor resigned"): a summary may use these words.
_INSTRUCTION_WORDING = frozenset(
    word[:6]
    for word in """ignore instead instructions previous write writes written writing headline summary saying
    says said list listed include mention tell report state also that this with from have there their them then
    they what when which will would should must your""".split()
)


def _without_injected_text(
    headline: str, summary: str, article: Article, key_points: list[KeyPoint], removed: list[FlaggedItem]
) -> tuple[str, str]:
    """Headline and summary with whatever repeats an injected instruction taken out.

    Text repeats an instruction when it uses words the article writes only
    inside sentences that give instructions to a model. Such a headline is
    replaced by the article's title (else its first key point); such summary
    sentences are dropped (all of them: the first key point instead). Each
    removal is listed.
    """
    if not article.instruction_sentences():
        return headline, summary
    everywhere, supported = fold(article.text), fold(article.grounding_text)

    def injected(text: str) -> bool:
        stems = [stem for stem in word_stems(text) if stem not in _INSTRUCTION_WORDING]
        return any(stem in everywhere and stem not in supported for stem in stems)

    fallback = key_points[0].text if key_points else article.sentences[0].text
    if injected(headline):
        removed.append(FlaggedItem(field="headline", value=headline, reason=INJECTED))
        headline = article.title or fallback[:HEADLINE_MAX]
    kept = []
    for sentence in split_sentences(summary):
        if injected(sentence.text):
            removed.append(FlaggedItem(field="summary", value=sentence.text, reason=INJECTED))
        else:
            kept.append(sentence.text)
    return headline, " ".join(kept) if kept else fallback


def _unverified_free_text(draft: BriefDraft, article: Article) -> list[FlaggedItem]:
    unverified = []
    for field, text in (("headline", draft.headline), ("summary", draft.summary)):
        for number in dict.fromkeys(numbers_in(text)):
            if not number_occurs(number, article.grounding_text):
                unverified.append(FlaggedItem(field=field, value=number, reason="number is not written in the article"))
    return unverified


def brief_from_draft(article: Article, result: ModelResult[BriefDraft], prompt: Prompt) -> ArticleBrief:
    """Turn the model's draft into the user-facing brief.

    Evidence, quote text and dates are taken from the article by code; names
    and speakers the article does not contain are removed and listed in
    ``removed``, never silently kept or dropped; free text cut by the length
    limit is trimmed back to a whole sentence, and free text that repeats an
    injected instruction is replaced (both listed).
    """
    draft = result.output
    sentences = article.sentences
    removed: list[FlaggedItem] = list(result.dropped)  # cut by salvage after the last re-ask, if any
    injected = set(article.instruction_sentences())
    for number in draft.key_sentences:
        if number in injected:
            removed.append(FlaggedItem(field="key", value=f"sentence {number}", reason=INJECTED))
    key_points = [
        KeyPoint(
            text=sentences[number - 1].text,
            evidence=sentences[number - 1].text,
            sentence=number,
            span=Span(start=sentences[number - 1].start, end=sentences[number - 1].end),
        )
        for number in draft.key_sentences
        if number not in injected
    ]
    headline, summary = _without_injected_text(
        _trim_cut_text("headline", draft.headline, HEADLINE_MAX, removed),
        _trim_cut_text("summary", draft.summary, SUMMARY_MAX, removed),
        article,
        key_points,
        removed,
    )
    flagged: list[FlaggedItem] = []
    summary = _finished_summary(summary, removed, article)
    headline, summary = keep_supported_headline_and_summary(
        fix_initial_spacing(headline), fix_initial_spacing(summary), article, removed, flagged
    )
    draft = draft.model_copy(update={"headline": headline, "summary": summary})
    return ArticleBrief(
        article_id=article.id,
        source=article.source,
        headline=fix_initial_spacing(headline),
        summary=fix_initial_spacing(summary),
        key_points=key_points,
        entities=names_in(article),
        quotes=_quotes(draft, article),
        dates=dates_in_article(article),
        removed=removed,
        unverified=_unverified_free_text(draft, article) + flagged,
        generated_by=GeneratedBy(
            provider=result.provider,
            model=result.model,
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            endpoint=endpoint_host(result.endpoint),
        ),
        usage=result.usage,
    )
