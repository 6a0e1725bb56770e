"""A brief's headline and summary checked for what they say, not only for their words (``checks/``).

A headline the article does not support (the seeds' "U.S. and China propose
dialogue", where the article says the U.S. proposed it and Beijing is
unwilling) is replaced by the article's own title, or, with none, by its
first sentence, or that sentence's main clause when it is longer than
``HEADLINE_WORDS`` words; a summary sentence it does
not support is dropped (the article's first sentence stands in when none
is left). A sentence whose clause no one article sentence says, though
every word is the article's (a fusion), is kept and reported
``unverified``. Each replacement is listed in the brief's ``removed`` with the
reason, so nothing unsupported is shown as verified.
"""

from __future__ import annotations

from summarizer.brief.schema import ItemCheck, Verdict
from summarizer.checks.summary import SentenceCheck, SummaryCheck, check_summary
from summarizer.checks.support import MISSING_NUMBER
from summarizer.inputs.article import Article
from summarizer.nlp.phrases import main_clause
from summarizer.providers.base import FlaggedItem

HEADLINE_WORDS = 20
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
    """The article's own title, else its first sentence: whole when short, else its main clause (code cuts it by the
    parse: what appositions, relative and subordinate clauses add is left out), never cut mid-phrase.
    """
    if article.title:
        return article.title
    first = lead(article)
    if len(first.split()) <= HEADLINE_WORDS:
        return first.rstrip(".")
    clause = main_clause(first)
    return clause if clause and len(clause.split()) <= HEADLINE_WORDS else first.rstrip(".")


def _judged(check: SummaryCheck) -> list[SentenceCheck]:
    """The sentences whose meaning the check decided: not those with nothing to check, nor those refused only for a
    number the article lacks (the number check's: kept, marked ``unverified``, nameable by a grounding re-ask).
    """
    return [
        sentence
        for sentence in check.sentences
        if sentence.verdict != "unverifiable" and not (sentence.reason or "").startswith(MISSING_NUMBER)
    ]


def _headline_check(headline: str, article: Article) -> SummaryCheck | None:
    """The headline's check, or None when it is the article's own title (its own words)."""
    return None if headline == article.title else check_summary(headline, article)


def keep_supported_headline_and_summary(
    headline: str, summary: str, article: Article, removed: list[FlaggedItem], unverified: list[FlaggedItem] | None = None
) -> tuple[str, str]:
    """The headline and summary with what the article does not support replaced or dropped (and listed in ``removed``);
    a sentence the rules cannot decide is kept and listed in ``unverified``.
    """
    headline_check = _headline_check(headline, article)
    refused = [s for s in _judged(headline_check) if s.verdict == "unsupported"] if headline_check else []
    if refused:
        removed.append(FlaggedItem(field="headline", value=headline, reason=f"the article does not say it: {refused[0].reason}"))
        headline = fallback_headline(article)
    elif headline_check is not None and unverified is not None:
        unverified.extend(_undecided("headline", headline_check))
    summary_check = check_summary(summary, article)
    if unverified is not None:
        unverified.extend(_undecided("summary", summary_check))
    dropped = [s for s in _judged(summary_check) if s.verdict == "unsupported"]
    for sentence in dropped:
        removed.append(
            FlaggedItem(field="summary", value=sentence.text, reason=f"the article does not say it: {sentence.reason}")
        )
    if dropped:
        kept = [s.text for s in summary_check.sentences if all(s is not gone for gone in dropped)]
        summary = " ".join(kept) if kept else lead(article)
    return headline, summary


def _undecided(field: str, check: SummaryCheck) -> list[FlaggedItem]:
    """The uncertain sentences of a check, as kept-but-unverified items of ``field``."""
    return [
        FlaggedItem(field=field, value=sentence.text, reason=f"not verified: {sentence.reason}")
        for sentence in check.sentences
        if sentence.verdict == "uncertain"
    ]


def meaning_report(headline: str, summary: str, article: Article) -> list[ItemCheck]:
    """One ``meaning`` verdict per headline and summary sentence: ``supported``, ``unverified`` (a fusion the rules
    cannot decide: kept, not verified) or ``unsupported`` (with the reason).

    The article's own title is its own words: supported. A sentence refused only for a number is the number
    check's (``unverified``), not counted twice.
    """
    headline_check = _headline_check(headline, article)
    judged = _judged(headline_check) if headline_check else []
    checks = [] if headline_check else [ItemCheck(kind=MEANING, value=headline, verdict="supported")]
    return checks + [
        ItemCheck(kind=MEANING, value=sentence.text, verdict=_item_verdict(sentence), reason=sentence.reason)
        for sentence in judged + _judged(check_summary(summary, article))
    ]


def _item_verdict(sentence: SentenceCheck) -> Verdict:
    """A sentence the rules cannot decide (``uncertain``) is kept and reported ``unverified``: never as verified."""
    return "unverified" if sentence.verdict == "uncertain" else sentence.verdict  # type: ignore[return-value]
