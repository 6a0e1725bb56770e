"""The optional grounding re-ask: name the unsupported items, ask again, keep the verified part of both answers.

Measured on the 16 recorded articles, picking the one answer with the fewest
problems lost content: a re-asked small model listed fewer names and quotes,
so "fewest problems" favoured near-empty lists. Merging instead keeps every
verified item of the first answer and adds the ones only the re-ask found,
so a re-ask can add content and never removes any. (Names now come from
code, so only quotes and free text differ between answers.)
"""

from __future__ import annotations

from dataclasses import replace

from summarizer.brief.draft import MAX_QUOTES, BriefDraft
from summarizer.brief.salvage import SALVAGE_REASONS
from summarizer.brief.schema import ArticleBrief
from summarizer.prompts import Prompt
from summarizer.providers.base import FlaggedItem, ModelRequest
from summarizer.text.matching import fold

FREE_TEXT_FIELDS = ("headline", "summary")


def problems_of(brief: ArticleBrief) -> list[FlaggedItem]:
    """What grounding found unsupported (not what salvage cut for breaking a rule)."""
    return [item for item in brief.removed + brief.unverified if item.reason not in SALVAGE_REASONS]


def fix_request(request: ModelRequest[BriefDraft], problems: list[FlaggedItem], prompt: Prompt) -> ModelRequest[BriefDraft]:
    """The original request with a note naming each unsupported item.

    The earlier answer is deliberately not replayed: a small model at
    temperature 0 shown its own answer tends to repeat it verbatim. The note
    goes after the article, so the server's prompt cache still covers
    everything before it.
    """
    *earlier, article_message = request.messages
    note = prompt.render_fix(problems=problems)["content"]
    return replace(request, messages=[*earlier, {"role": "user", "content": article_message["content"] + "\n\n" + note}])


def merge_reask(earlier: ArticleBrief, later: ArticleBrief) -> ArticleBrief:
    """``earlier`` plus the quotes only ``later`` chose; the headline and summary with fewer unverified numbers.

    Key points stay the earlier answer's (the re-ask is about quotes and
    numbers, not about which facts matter); names are found by code, the
    same for both answers. Removed items of both answers are listed once
    each.
    """
    text_side = later if len(later.unverified) < len(earlier.unverified) else earlier
    quotes = list(earlier.quotes)
    for quote in later.quotes:
        if quote.span not in [q.span for q in quotes] and len(quotes) < MAX_QUOTES:
            quotes.append(quote)
    removed: dict[tuple[str, str], FlaggedItem] = {}
    for item in [*text_side.removed, *earlier.removed, *later.removed]:
        if item.field in FREE_TEXT_FIELDS and item not in text_side.removed:
            continue  # belongs to the free text that was not chosen
        removed.setdefault((item.field, fold(item.value)), item)
    return earlier.model_copy(
        update={
            "headline": text_side.headline,
            "summary": text_side.summary,
            "unverified": text_side.unverified,
            "quotes": quotes,
            "removed": list(removed.values()),
        }
    )
