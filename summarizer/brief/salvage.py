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
    if isinstance(data.get("key"), list):
        keys = [n for n in dict.fromkeys(data["key"]) if isinstance(n, int) and 1 <= n <= count]
        for n in data["key"]:
            if n not in keys:
                dropped.append(FlaggedItem(field="key", value=str(n), reason=MISSING_SENTENCE))
        data["key"] = keys[:MAX_KEY_POINTS]
    if isinstance(data.get("quotes"), list):
        valid = [n for n in dict.fromkeys(data["quotes"]) if isinstance(n, int) and 1 <= n <= quote_count]
        for number in data["quotes"]:
            if number not in valid:
                dropped.append(FlaggedItem(field="quotes", value=str(number), reason=MISSING_QUOTATION))
        data["quotes"] = valid[:MAX_QUOTES]
    return BriefDraft.model_validate(data, context=context), dropped
