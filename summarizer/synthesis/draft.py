"""What the model writes over aligned groups of sentences: prose only, no citations.

The model phrases; code cites (``support``). So the drafts hold no point
numbers to get wrong: one sentence per group (``AgreementDraft``, one small
request each, given the shared core code cut out), and an overview with theme names that give the group
numbers they cover, a hint code checks, not trusts (``SynthesisDraft``).
JSON keys stay short (each forced token costs a decoding step).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from summarizer.providers.base import StrictModel

CLAIM_MAX = 300
OVERVIEW_MAX = 900
THEME_MAX = 80


# No docstrings on the draft classes: a docstring is part of the JSON schema,
# and the schema is part of every recorded answer's key.
class DraftTheme(StrictModel):
    text: str = Field(alias="t", title="T", min_length=1, max_length=THEME_MAX, description="A short name for the theme.")
    groups: list[Annotated[int, Field(ge=1, le=99)]] = Field(alias="g", title="G", max_length=8)


class AgreementDraft(StrictModel):
    """What the model writes for one aligned group: the one sentence they all report."""

    text: str = Field(alias="t", title="T", min_length=1, max_length=CLAIM_MAX)


class SynthesisDraft(StrictModel):
    """What the model writes over all the groups and leads: an overview and theme names."""

    overview: str = Field(min_length=1, max_length=OVERVIEW_MAX)
    themes: list[DraftTheme] = Field(max_length=5)
