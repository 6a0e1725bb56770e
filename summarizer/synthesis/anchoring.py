"""Relative day words ("today", "yesterday") anchored to their date, so a sentence read outside its article still means it.

An overview lifted from articles of different days must not say "today":
the word is replaced by the date it meant, from the publication date of the
cited article that writes it ("on 26 March 2005"); a sentence whose word has
no such date is left out (and listed as removed).
"""

from __future__ import annotations

import datetime as dt

from summarizer.providers.base import FlaggedItem
from summarizer.synthesis.schema import Claim
from summarizer.text.dates import anchor_relative_days, relative_day_words
from summarizer.text.sentences import split_sentences


def _source(claim: Claim, words: list[str]) -> str | None:
    folded = [word.casefold() for word in words]
    for citation in claim.citations:
        if citation.evidence and any(word in citation.evidence.casefold() for word in folded):
            return citation.article_id
    return None


def anchored_claim(claim: Claim, published: dict[str, dt.date | None], field: str, removed: list[FlaggedItem]) -> Claim:
    """``claim`` with its relative day words dated; sentences that cannot be dated dropped (the claim kept if none is left)."""
    sentences = [sentence.text for sentence in split_sentences(claim.text)]
    if not any(relative_day_words(sentence) for sentence in sentences):
        return claim
    kept = []
    for sentence in sentences:
        words = relative_day_words(sentence)
        source = _source(claim, words) if words else None
        anchored = anchor_relative_days(sentence, published.get(source) if source else None)
        if anchored is None:
            reason = f"'{words[0]}' cannot be dated: no cited article of known date writes it"
            removed.append(FlaggedItem(field=field, value=sentence, reason=reason))
        else:
            kept.append(anchored)
    return claim.model_copy(update={"text": " ".join(kept)}) if kept else claim
