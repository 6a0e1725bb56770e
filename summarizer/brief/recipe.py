"""``BriefRecipe``: how a brief is made, and the key of a brief made that way.

The same object shapes the brief (the prompt, the grounding re-asks) and
names it in the brief cache (``key``), so a cached brief is one made exactly
this way: the prompt's text, the schemas, who answered (provider, endpoint,
model, context size) and the settings that change answers. Built once per
run; frozen and picklable, so a worker in another process makes briefs the
same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from summarizer.brief.draft import BriefDraft
from summarizer.brief.schema import ArticleBrief
from summarizer.files import content_hash
from summarizer.inputs.article import Article
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import Provider, endpoint_of
from summarizer.settings import Settings

BRIEF_PROMPT_ID = "brief"


@lru_cache(maxsize=1)
def _schemas_digest() -> str:
    """A hash of what the model is asked to write and of the brief made from it: either changing makes briefs stale."""
    return content_hash([BriefDraft.model_json_schema(), ArticleBrief.model_json_schema()], 16)


@dataclass(frozen=True)
class Answerer:
    """Who answers a brief's requests, as far as it changes the answers (no secrets: endpoints carry no key)."""

    provider: str
    endpoint: str
    model: str
    context_tokens: int  # decides whether a long article is briefed in parts
    max_reasks: int

    @classmethod
    def of(cls, provider: Provider, settings: Settings) -> Answerer:
        """``provider`` answering with ``settings``' re-asks."""
        return cls(provider.name, endpoint_of(provider), provider.model, provider.context_tokens, settings.max_reasks)


@dataclass(frozen=True)
class BriefRecipe:
    """The prompt and re-ask allowance a brief is made with, and who answers."""

    prompt: Prompt
    grounding_reasks: int
    answerer: Answerer

    @classmethod
    def of(cls, provider: Provider, settings: Settings) -> BriefRecipe:
        """How ``provider`` with ``settings`` makes briefs: the brief prompt of ``settings.prompts_dir``."""
        return cls(get_prompt(BRIEF_PROMPT_ID, settings.prompts_dir), settings.grounding_reasks, Answerer.of(provider, settings))

    def key(self, article: Article) -> str:
        """The brief cache's key for ``article`` briefed this way (its text and metadata, and everything above)."""
        recipe = {
            "prompt": self.prompt.digest,
            "schemas": _schemas_digest(),
            "grounding_reasks": self.grounding_reasks,
            "answerer": vars(self.answerer),
        }
        return content_hash({"article": article.model_dump(mode="json"), "recipe": recipe})
