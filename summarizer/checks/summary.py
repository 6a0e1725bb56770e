"""``check_summary``: any summary, sentence by sentence, against the article it claims to summarize.

Each sentence of the summary (plain text or Markdown) is checked with the
support rules (``checks/support.py``) against every sentence of the
article and its title (passage 0): it is ``supported`` (with the passages that support it and their
spans), ``uncertain`` (every word is the article's but no one sentence says
its clause: a fusion the rules cannot decide, so not verified and not
refused), ``unsupported`` (with the reason), or ``unverifiable`` (it has no
content words to check, such as "Read more."). The article's sentences are
parsed once per process, so many summaries of one article are checked fast.
How often the rules agree with people is measured by
``bench/faithfulness.py`` (FRANK).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, computed_field

from summarizer.checks.passage import ArticlePassage, passages_of
from summarizer.checks.support import JOINED, NO_CONTENT, find_support, made_fact
from summarizer.inputs.article import Article
from summarizer.inputs.building import article_from_text
from summarizer.nlp.features import SentenceFeatures, sentence_features
from summarizer.text.sentences import split_sentences

Verdict = Literal["supported", "uncertain", "unsupported", "unverifiable"]
_MARKDOWN_LINE = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,9}[.)]\s+|>\s*)*")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)|(?<=\S)(\*\*|__|\*|_|`)")
_PASSAGES_KEPT = 512  # enough for every brief in flight and every batch parsed ahead of them


class SupportingPassage(BaseModel):
    """An article sentence that supports a summary sentence: its number, its span in the article, its text."""

    sentence: int
    start: int
    end: int
    text: str


class SentenceCheck(BaseModel):
    """One summary sentence: its verdict, the passages that support it, and why it is not supported."""

    text: str
    verdict: Verdict
    passages: list[SupportingPassage] = []
    reason: str | None = None
    note: str | None = None  # a supported sentence the article gives as someone's statement, stated as fact


class SummaryCheck(BaseModel):
    """Every sentence of a summary checked against one article."""

    article_id: str
    sentences: list[SentenceCheck]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def supported(self) -> bool:
        """True when no sentence is unsupported (an uncertain one is not verified, and not refused)."""
        return all(sentence.verdict != "unsupported" for sentence in self.sentences)

    def counts(self) -> dict[str, int]:
        """How many sentences got each verdict."""
        verdicts = ("supported", "uncertain", "unsupported", "unverifiable")
        return {verdict: sum(s.verdict == verdict for s in self.sentences) for verdict in verdicts}


_parsed: OrderedDict[tuple[str, str], list[ArticlePassage]] = OrderedDict()
_parsing = threading.Lock()


def article_passages(article: Article) -> list[ArticlePassage]:
    """The article's passages, parsed once per process (the last few hundred articles kept)."""
    key = (article.id, article.text)
    with _parsing:
        if key in _parsed:
            _parsed.move_to_end(key)
            return _parsed[key]
    passages = passages_of(article)
    remember_passages(article, passages)
    return passages


def remember_passages(article: Article, passages: list[ArticlePassage]) -> None:
    """Keep ``passages`` as ``article``'s (made in a worker process, say), among the last few articles' passages."""
    with _parsing:
        _parsed[(article.id, article.text)] = passages
        _parsed.move_to_end((article.id, article.text))
        while len(_parsed) > _PASSAGES_KEPT:
            _parsed.popitem(last=False)


def title_passage(article: Article) -> list[ArticlePassage]:
    """The article's title as a passage (sentence 0; its span where the text writes it): what the title says, the
    article says, and a summary may say it too ("Chinese and US officials meet ..." from the title "Chinese, US
    Officials Meet ...").
    """
    if not article.title:
        return []
    start = article.text.find(article.title)
    features = _features((article.title,))[0]
    end = start + len(article.title) if start >= 0 else 0
    return [ArticlePassage(article.id, 0, len(article.sentences), article.title, features, max(start, 0), end)]


def summary_sentences(summary: str) -> list[str]:
    """The sentences of a plain-text or Markdown summary, list markers, heading marks and emphasis removed."""
    texts: list[str] = []
    for line in summary.splitlines():
        plain = _EMPHASIS.sub("", _MARKDOWN_LINE.sub("", line)).strip()
        texts.extend(sentence.text.strip() for sentence in split_sentences(plain) if sentence.text.strip())
    return texts


@lru_cache(maxsize=256)
def _features(texts: tuple[str, ...]) -> tuple[SentenceFeatures, ...]:
    """The sentences' features, parsed once: a brief's headline and summary are checked when it is made and again
    when its grounding report is written.
    """
    return tuple(sentence_features(list(texts)))


def check_summary(summary: str, article: str | Article) -> SummaryCheck:
    """Check every sentence of ``summary`` against ``article`` (an ``Article``, or its text)."""
    source = article if isinstance(article, Article) else article_from_text(article, article_id="article")
    passages = article_passages(source) + title_passage(source)
    texts = summary_sentences(summary)
    checks = []
    for text, features in zip(texts, _features(tuple(texts)), strict=True):
        support = find_support(text, features, passages)
        if support.problem == NO_CONTENT:
            checks.append(SentenceCheck(text=text, verdict="unverifiable", reason=NO_CONTENT))
            continue
        found = [SupportingPassage(sentence=p.number, start=p.start, end=p.end, text=p.text) for p in support.sentences]
        if support.problem and support.problem.startswith(JOINED):
            # Each word is the article's, but its clause is said by no one sentence: a fusion the rules cannot
            # decide (a faithful summary fuses too). Not verified, not refused.
            checks.append(SentenceCheck(text=text, verdict="uncertain", passages=found, reason=support.problem))
        elif support.problem:
            checks.append(SentenceCheck(text=text, verdict="unsupported", passages=found, reason=support.problem))
        else:
            note = made_fact(text, features, support.sentences)
            checks.append(SentenceCheck(text=text, verdict="supported", passages=found, note=note))
    return SummaryCheck(article_id=source.id, sentences=checks)
