"""The valid part of a last synthesis answer that still failed validation, and what was dropped and why.

It works on the answer's raw JSON (the model's short keys), item by item.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

from summarizer.errors import plain_error_message
from summarizer.providers.base import FlaggedItem
from summarizer.synthesis.draft import (
    DraftActor,
    DraftAgreement,
    DraftClaim,
    DraftDisagreement,
    DraftEvent,
    DraftOverview,
    SynthesisDraft,
)

# The draft's list fields by their JSON keys, and the model each item must validate as.
_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "themes": DraftClaim,
    "agree": DraftAgreement,
    "disagree": DraftDisagreement,
    "events": DraftEvent,
    "actors": DraftActor,
}


def salvage_draft(content: str, context: dict[str, Any]) -> tuple[SynthesisDraft, list[FlaggedItem]]:
    """The valid part of a last answer that still failed validation, and what was dropped and why.

    The answer must be well-formed JSON of the right shape; items that break
    a rule (an unknown point, a one-sided disagreement, a date or name not in
    the cited points) are dropped one by one. An unsupported overview is
    replaced by the first supported agreement or theme (listed as dropped);
    with none of those, the answer fails.
    """
    data = json.loads(content)
    SynthesisDraft.model_validate(data)  # the shape must hold even without the points
    dropped: list[FlaggedItem] = []
    known = context.get("points", {})
    for field_name, claim in [
        ("overview", data["overview"]),
        *((name, item) for name in ("themes", "agree", "disagree", "events") for item in data[name]),
    ]:
        unknown = [ref for ref in claim["k"] if ref not in known]
        if unknown:
            claim["k"] = [ref for ref in claim["k"] if ref in known]
            reason = "cited points that do not exist; those citations were removed"
            if not claim["k"] and field_name != "overview":
                claim["drop"] = True
                reason = "cites only points that do not exist"
            dropped.append(FlaggedItem(field=field_name, value=f"{claim['t']} (cited {', '.join(unknown)})", reason=reason))
    for name in ("themes", "agree", "disagree", "events"):
        data[name] = [item for item in data[name] if not item.get("drop")]
    for field_name, model in _ITEM_MODELS.items():
        kept = []
        for item in data[field_name]:
            try:
                model.model_validate(item, context=context)
                kept.append(item)
            except ValidationError as exc:
                label = str(item.get("t") or item.get("name") or item)
                dropped.append(FlaggedItem(field=field_name, value=label, reason=plain_error_message(exc.errors()[0]["msg"])))
        data[field_name] = kept
    try:
        DraftOverview.model_validate(data["overview"], context=context)
    except ValidationError as exc:
        replacement = next(iter(data["agree"] + data["themes"]), None)
        if replacement is None:
            raise
        dropped.append(
            FlaggedItem(
                field="overview",
                value=data["overview"]["t"],
                reason=f"{plain_error_message(exc.errors()[0]['msg'])}; the first supported claim is the overview instead",
            )
        )
        data["overview"] = {"t": replacement["t"], "k": replacement["k"]}
    return SynthesisDraft.model_validate(data, context=context), dropped
