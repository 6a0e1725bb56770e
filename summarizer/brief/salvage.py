"""The usable part of a last answer that still broke a rule, and what was cut and why.

It works on the answer's raw JSON (the model's short keys), because the
answer did not validate into a ``BriefDraft``.
"""

from __future__ import annotations

import json
from typing import Any

from summarizer.brief.draft import MAX_KEY_POINTS, MAX_QUOTES, MAX_SUMMARY_SENTENCES, BriefDraft
from summarizer.providers.base import FlaggedItem
from summarizer.text.sentences import split_sentences

CUT_SUMMARY = "summary over 3 sentences; the rest was cut"
MISSING_SENTENCE = "cites a sentence that does not exist"
MISSING_QUOTATION = "cites a quotation that does not exist"
CUT_AT_LIMIT = "cut off mid-sentence by the length limit; trimmed to the last whole sentence"
CUT_MID_CLAUSE = "ends mid-clause (the model stopped early); the unfinished sentence was dropped"
SALVAGE_REASONS = frozenset({CUT_SUMMARY, MISSING_SENTENCE, MISSING_QUOTATION, CUT_AT_LIMIT, CUT_MID_CLAUSE})


def _keep_existing(data: dict[str, Any], field: str, count: int, limit: int, reason: str, dropped: list[FlaggedItem]) -> None:
    """Keep the numbers of ``data[field]`` that exist (1 to ``count``), each once, at most ``limit``; list the rest."""
    if not isinstance(data.get(field), list):
        return
    valid = [n for n in dict.fromkeys(data[field]) if isinstance(n, int) and 1 <= n <= count]
    dropped.extend(FlaggedItem(field=field, value=str(n), reason=reason) for n in data[field] if n not in valid)
    data[field] = valid[:limit]


def salvage_brief_draft(content: str, context: dict[str, Any]) -> tuple[BriefDraft, list[FlaggedItem]]:
    """The usable part of a last answer that still broke a rule: what was cut, and why.

    A summary over 3 sentences keeps its first 3; key sentences and
    quotations that do not exist (or are cited twice) are dropped; lists over
    their limit keep their first items. Anything else still fails.
    """
    data = json.loads(content)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    count = len(context.get("sentences") or [])
    quote_count = int(context.get("quotes") or 0)
    dropped: list[FlaggedItem] = []
    if isinstance(data.get("summary"), str):
        sentences = split_sentences(data["summary"])
        if len(sentences) > MAX_SUMMARY_SENTENCES:
            kept = data["summary"][: sentences[MAX_SUMMARY_SENTENCES - 1].end]
            cut = data["summary"][len(kept) :].strip()
            dropped.append(FlaggedItem(field="summary", value=cut, reason=CUT_SUMMARY))
            data["summary"] = kept
    _keep_existing(data, "key", count, MAX_KEY_POINTS, MISSING_SENTENCE, dropped)
    _keep_existing(data, "quotes", quote_count, MAX_QUOTES, MISSING_QUOTATION, dropped)
    return BriefDraft.model_validate(data, context=context), dropped
