"""Schema contracts: the model-facing draft and the user-facing brief."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from summarizer.brief.draft import MAX_KEY_POINTS, BriefDraft
from summarizer.brief.schema import ArticleBrief
from summarizer.inputs.loading import article_from_text

ARTICLE = article_from_text("One fact here. Another fact there. A third one.", article_id="a")
CONTEXT = {"sentences": ARTICLE.sentences, "text": ARTICLE.text, "quotes": 2}
DRAFT = {"headline": "Facts", "summary": "There are facts.", "key": [1, 2], "quotes": [2]}


def test_a_valid_draft_passes() -> None:
    assert BriefDraft.model_validate(DRAFT, context=CONTEXT).key_sentences == [1, 2]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": [4]}, "sentence 4 does not exist"),
        ({"key": [1, 1]}, "sentence 1 twice"),
        ({"key": []}, "at least 1"),
        ({"key": list(range(1, MAX_KEY_POINTS + 2))}, "at most"),
        ({"quotes": [3]}, "quotation 3 does not exist; the quotations are numbered 1 to 2"),
        ({"quotes": [1, 1]}, "quotes lists a quotation twice"),
        ({"summary": "One. Two. Three. Four."}, "summary has 4 sentences"),
        ({"headline": "x" * 101}, "at most 100 characters"),
        ({"extra_field": 1}, "Extra inputs are not permitted"),
        ({"quotes": "1"}, "valid list"),
        ({"people": ["Jane"]}, "Extra inputs are not permitted"),  # names come from code, not the model
    ],
)
def test_invalid_drafts_fail_with_a_reason(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        BriefDraft.model_validate({**DRAFT, **change}, context=CONTEXT)


def test_draft_without_context_checks_only_the_shape() -> None:
    assert BriefDraft.model_validate({**DRAFT, "key": [40]}).key_sentences == [40]


def test_draft_schema_is_closed_and_bounded() -> None:
    schema = BriefDraft.model_json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(DRAFT)
    assert schema["properties"]["key"]["maxItems"] == MAX_KEY_POINTS
    assert schema["properties"]["headline"]["maxLength"] == 100


def test_brief_rejects_a_malformed_date_value() -> None:
    with pytest.raises(ValidationError, match="'2024-13-45' is not a day date"):
        ArticleBrief.model_validate(
            {
                "article_id": "a",
                "source": "-",
                "headline": "h",
                "summary": "s",
                "key_points": [],
                "entities": [],
                "quotes": [],
                "dates": [{"text": "Monday", "value": "2024-13-45", "precision": "day", "how": "made up"}],
                "generated_by": {"provider": "p", "model": "m", "prompt_id": "brief", "prompt_version": "1"},
            }
        )
