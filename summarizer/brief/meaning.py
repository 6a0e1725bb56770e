"""A brief's headline and summary checked for what they say, not only for their words (``checks/``).

A headline the article does not support (the seeds' "U.S. and China propose
dialogue", where the article says the U.S. proposed it and Beijing is
unwilling) is replaced by the article's own title, or, with none, by its
first sentence cut at ``HEADLINE_WORDS`` words; a summary sentence it does
not support is dropped (the article's first sentence stands in when none
is left). Each replacement is listed in the brief's ``removed`` with the
reason, so nothing unsupported is shown as verified.
"""

from __future__ import annotations

from summarizer.brief.schema import ItemCheck
from summarizer.checks.summary import SummaryCheck, check_summary
from summarizer.inputs.article import Article
from summarizer.providers.base import FlaggedItem

HEADLINE_WORDS = 20
NUMBER_PROBLEM = "the number "
MEANING = "meaning"


def lead(article: Article) -> str:
    """The article's first sentence, without a dateline glued to it ("SEOUL, The United States" -> "The United States")."""
    text = article.sentences[0].text if article.sentences else article.id
    dateline = article.dateline
    if dateline and text.upper().startswith(dateline.upper()):
        rest = text[len(dateline) :].lstrip(" ,:—–-")
        text = rest[:1].upper() + rest[1:] if rest else text
    return text


def fallback_headline(article: Article) -> str:
    """The article's own title, else its first sentence cut at ``HEADLINE_WORDS`` words."""
    if article.title:
        return article.title
    words = lead(article).split()
    return " ".join(words[:HEADLINE_WORDS]) + (" …" if len(words) > HEADLINE_WORDS else "")


def _unsupported(check: SummaryCheck) -> list[tuple[str, str]]:
    """(text, reason) of each sentence the article does not support, but for a number it lacks: such a sentence is
    kept and its number marked unverified, and a grounding re-ask can name it.
    """
    return [
        (s.text, s.reason or "not supported")
        for s in check.sentences
        if s.verdict == "unsupported" and not (s.reason or "").startswith(NUMBER_PROBLEM)
    ]


def meaning_checked(headline: str, summary: str, article: Article, removed: list[FlaggedItem]) -> tuple[str, str]:
    """The headline and summary with what the article does not support replaced or dropped (and listed in ``removed``)."""
    if headline != article.title:
        for _, reason in _unsupported(check_summary(headline, article))[:1]:
            removed.append(FlaggedItem(field="headline", value=headline, reason=f"the article does not say it: {reason}"))
            headline = fallback_headline(article)
    summary_check = check_summary(summary, article)
    dropped = _unsupported(summary_check)
    if dropped:
        for text, reason in dropped:
            removed.append(FlaggedItem(field="summary", value=text, reason=f"the article does not say it: {reason}"))
        kept = [sentence.text for sentence in summary_check.sentences if sentence.verdict != "unsupported"]
        summary = " ".join(kept) if kept else lead(article)
    return headline, summary


def meaning_checks(headline: str, summary: str, article: Article) -> list[ItemCheck]:
    """One ``meaning`` verdict per headline and summary sentence: ``supported`` or ``unsupported`` (with the reason).

    The article's own title is its own words: supported.
    """
    checks = []
    if headline == article.title:
        checks.append(ItemCheck(kind=MEANING, value=headline, verdict="supported", reason=None))
    else:
        checks.extend(_as_items(check_summary(headline, article)))
    checks.extend(_as_items(check_summary(summary, article)))
    return checks


def _as_items(check: SummaryCheck) -> list[ItemCheck]:
    return [
        ItemCheck(kind=MEANING, value=sentence.text, verdict="unsupported", reason=sentence.reason)
        if sentence.verdict == "unsupported"
        else ItemCheck(kind=MEANING, value=sentence.text, verdict="supported")
        for sentence in check.sentences
        if sentence.verdict != "unverifiable" and not (sentence.reason or "").startswith(NUMBER_PROBLEM)
    ]  # a sentence refused only for a number is the number check's (``unverified``), not counted twice
