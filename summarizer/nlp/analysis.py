"""What code finds in an article before the model is asked: its names, and its quotations with their speakers.

One parse per sentence, shared with the checks (``nlp/parses.py``); the
analysis is cached by the article's text and skipped lines. Only article
sentences count: page debris, bylines and sentences that address
instructions to a model are left out of both names and quotations.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from summarizer.inputs.article import Article, SkippedLine
from summarizer.nlp.entities import LEAD_SENTENCES, Mention, Name, mentions_in, merge_mentions
from summarizer.nlp.parses import article_doc, parse_sentences
from summarizer.nlp.speakers import Speaker, speaker_of
from summarizer.text.injection import instruction_like
from summarizer.text.quotations import find_quotations
from summarizer.text.sentences import Sentence

MAX_QUOTES_SHOWN = 12  # numbered quotations the model may choose from
MIN_UNATTRIBUTED_WORDS = 6  # shorter quoted phrases with no speaker are titles or scare quotes ("off the grid")


@dataclass(frozen=True)
class FoundQuote:
    """A quotation of the article, numbered for the model, with the sentence it starts in and its speaker."""

    number: int
    text: str
    start: int
    end: int
    sentence: int
    speaker: Speaker | None


@dataclass(frozen=True)
class ArticleAnalysis:
    """Names (most salient first) and quotations (in order) of one article."""

    names: tuple[Name, ...]
    quotes: tuple[FoundQuote, ...]


def analyse(article: Article) -> ArticleAnalysis:
    """The names and quotations of ``article``, found by code (one spaCy parse, cached)."""
    key = _key(article)
    with _remembering:
        found = _analyses.get(key)
    if found is None:
        found = _analyse(*key)
        remember_analysis(article, found)
    return found


def remember_analysis(article: Article, analysis: ArticleAnalysis) -> None:
    """Keep ``analysis`` as ``article``'s (one made in a worker process, say), among the last ``ANALYSES_KEPT``."""
    with _remembering:
        _analyses[_key(article)] = analysis
        _analyses.move_to_end(_key(article))
        while len(_analyses) > ANALYSES_KEPT:
            _analyses.popitem(last=False)


def _key(article: Article) -> tuple[str, tuple[tuple[int, int, str, str], ...], str]:
    return article.text, tuple((line.start, line.end, line.text, line.reason) for line in article.skipped_lines), article.id


ANALYSES_KEPT = 512  # enough for every brief in flight and every batch parsed ahead of them
_analyses: OrderedDict[tuple[str, tuple[tuple[int, int, str, str], ...], str], ArticleAnalysis] = OrderedDict()
_remembering = threading.Lock()


PARSE_BATCH = 16  # articles parsed ahead together (by the worker pool and Ray's actors)


def parse_ahead(articles: Iterable[Article]) -> None:
    """Parse these articles' sentences now, in one batch (``nlp.pipe`` is about a fifth faster per sentence than
    one call each): briefs running concurrently then find their parses ready. Call it with a few dozen articles
    at a time, ahead of briefing them.
    """
    parse_sentences([sentence.text for article in articles for sentence in article.sentences])


def _analyse(text: str, skipped: tuple[tuple[int, int, str, str], ...], article_id: str) -> ArticleAnalysis:
    lines = [SkippedLine(start=start, end=end, text=line, reason=reason) for start, end, line, reason in skipped]
    article = Article(id=article_id, source="-", text=text, skipped_lines=lines)
    sentences = article.sentences  # the article's own, numbered as the brief numbers them
    kept = [s for s in sentences if not instruction_like(s.text)]
    allowed = [(s.start, s.end) for s in kept]
    doc = article_doc(text, sentences)
    lead_end = kept[min(LEAD_SENTENCES, len(kept)) - 1].end if kept else 0
    names = merge_mentions(mentions_in(doc, allowed), lead_end)
    numbered = {s.start: n for n, s in enumerate(sentences, start=1)}
    quotes: list[FoundQuote] = []
    for quotation in find_quotations(text):
        holder = next((s for s in kept if s.start <= quotation.start < s.end + 1), None)
        if holder is None:
            continue
        tokens = _tokens_around(doc, kept, text, quotation.start, quotation.end)
        last = quotes[-1] if quotes else None
        previous = (last.speaker, last.end) if last is not None and last.speaker is not None else None
        speaker = speaker_of(tokens, quotation.start, quotation.end, names, previous)
        if speaker is None and quotes and _whole_paragraph(text, quotation.start, quotation.end):
            speaker = quotes[-1].speaker  # a paragraph that is all quotation goes on with the last speaker
        if speaker is None and len(quotation.text.split()) < MIN_UNATTRIBUTED_WORDS:
            continue
        quotes.append(
            FoundQuote(
                number=len(quotes) + 1,
                text=quotation.text,
                start=quotation.start,
                end=quotation.end,
                sentence=numbered[holder.start],
                speaker=speaker,
            )
        )
    return ArticleAnalysis(names=tuple(_with_speakers(names, quotes)), quotes=tuple(quotes[:MAX_QUOTES_SHOWN]))


def _overlaps(mention: Mention, start: int, end: int) -> bool:
    return mention.start < end and start < mention.end


def _with_speakers(names: list[Name], quotes: list[FoundQuote]) -> list[Name]:
    """``names`` plus the speakers that are people's names the entity recogniser missed, most salient first."""
    extra: dict[str, Name] = {}
    for quote in quotes:
        speaker = quote.speaker
        if speaker is None or not speaker.proper_name:
            continue
        if any(_overlaps(mention, speaker.start, speaker.end) for name in names for mention in name.mentions):
            continue
        mention = Mention(text=speaker.text, start=speaker.start, end=speaker.end, label="PERSON")
        name = extra.setdefault(speaker.text, Name(name=speaker.text, type="person", mentions=[], first=speaker.start))
        if all(m.start != mention.start for m in name.mentions):
            name.mentions.append(mention)
    return sorted([*names, *extra.values()], key=lambda name: name.salience, reverse=True)


def _whole_paragraph(text: str, start: int, end: int) -> bool:
    """Whether the quotation [start, end) (marks around it) fills its paragraph(s), with no words of attribution."""
    before = text[: max(start - 1, 0)].rsplit("\n", 1)[-1]
    after = text[end + 1 :].split("\n", 1)[0]
    return not before.strip() and not after.strip(" .,\t")


def _tokens_around(doc: Any, sentences: list[Sentence], text: str, start: int, end: int) -> list[Any]:
    """Tokens of the sentences the quotation spans, the one before if it ends in ':', the next in its paragraph."""
    touching = [i for i, s in enumerate(sentences) if s.start <= end and s.end >= start - 1]
    if not touching:
        return []
    first, last = touching[0], touching[-1]
    if first > 0 and sentences[first - 1].text.rstrip().endswith(":"):
        first -= 1
    if last + 1 < len(sentences) and sentences[last].end <= end + 3 and "\n" not in text[end : sentences[last + 1].start]:
        last += 1  # the quotation ends its sentence: "…," he said may be the next one, in the same paragraph
    lo, hi = sentences[first].start, sentences[last].end
    return [token for token in doc if lo <= token.idx < hi]
