"""What the memory says of today's stories: each one's id, status, and which of its articles were shown before.

No model call. Shared articles (same content, or same address) tie a story
to the one it was shown in; other stories are matched by their signatures
(``matching``). The status: *new*; *developing* (articles not shown before);
*no new reporting* (every article shown before); *back* after days in which
briefings were made without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer.files import content_hash
from summarizer.memory.matching import EarlierStory, Match, TodayStory, match_stories
from summarizer.memory.records import RememberedStory, Status, StoryHistory
from summarizer.memory.signature import Signature, article_key, combined, signatures_of
from summarizer.memory.store import StoryMemory
from summarizer.stories.grouping import Story


@dataclass(frozen=True)
class StoryStatus:
    """One of today's stories as the memory sees it.

    ``shown_on``: the article ids shown in an earlier briefing, with the
    first day shown; ``last_seen``: the latest earlier day the story was in a
    briefing (None for a new story); ``away_days``: for a story that is back,
    the days since then; ``signature``: as of today, all its days summed;
    ``history``: what earlier briefings showed of it (read only for a story
    with something new).
    """

    id: str
    status: Status
    first_seen: str
    last_seen: str | None
    signature: Signature
    keys: dict[str, str]
    shown_on: dict[str, str] = field(default_factory=dict)
    merged: tuple[str, ...] = ()
    away_days: int | None = None
    history: StoryHistory | None = None

    def is_new(self, article_id: str) -> bool:
        """True when the article was in no earlier briefing."""
        return article_id not in self.shown_on

    @property
    def label(self) -> str:
        """The status as a reader sees it: 'new', 'developing', 'no new reporting', 'back after 5 days'."""
        return f"back after {self.away_days} days" if self.status == "back" else self.status


def new_story_id(day: str, keys: Sequence[str]) -> str:
    """A story's id: the day it was first shown and a hash of the articles it was first shown with."""
    return f"{day}-{content_hash(sorted(keys), length=8)}"


def recall_stories(memory: StoryMemory, day: dt.date, stories: Sequence[Story]) -> list[StoryStatus]:
    """The status of each of ``stories`` (same order) on ``day``, from the briefings of the days before it."""
    today = day.isoformat()
    keys = [{article.id: article_key(article) for article in story.all_articles} for story in stories]
    urls = [{article.id: article.url for article in story.all_articles if article.url} for story in stories]
    shown = memory.shown(today, [k for ks in keys for k in ks.values()], [u for us in urls for u in us.values()])
    remembered = memory.remembered(today, {story_id for story_id, _ in shown.values()})  # a shared article ties at any age
    signatures = signatures_of([story.all_articles for story in stories])
    candidates = [
        TodayStory(
            size=len(story.all_articles),
            signature=signature,
            sharing=frozenset(shown[v][0] for v in (*ks.values(), *us.values()) if v in shown),
        )
        for story, signature, ks, us in zip(stories, signatures, keys, urls, strict=True)
    ]
    earlier = [EarlierStory(story.id, story.first_seen, story.signature) for story in remembered]
    matches = match_stories(candidates, earlier)
    by_id = {story.id: story for story in remembered}
    briefing_days = memory.briefing_days(today)
    found = []
    for signature, ks, us, match in zip(signatures, keys, urls, matches, strict=True):
        shown_on = {
            article_id: min(shown[v][1] for v in (key, us.get(article_id)) if v in shown)
            for article_id, key in ks.items()
            if key in shown or us.get(article_id) in shown
        }
        found.append(_status(memory, today, match, by_id, briefing_days, signature, ks, shown_on))
    return found


def _status(
    memory: StoryMemory,
    today: str,
    match: Match,
    by_id: dict[str, RememberedStory],
    briefing_days: list[str],
    signature: Signature,
    keys: dict[str, str],
    shown_on: dict[str, str],
) -> StoryStatus:
    earlier = by_id.get(match.story_id) if match.story_id else None
    if earlier is None:
        return StoryStatus(
            id=new_story_id(today, list(keys.values())), status="new", first_seen=today, last_seen=None,
            signature=signature, keys=keys, shown_on=shown_on,
        )  # fmt: skip
    last_seen = earlier.last_seen
    status: Status
    away = None
    if len(shown_on) == len(keys):
        status = "no new reporting"
    elif any(day > last_seen for day in briefing_days):
        status, away = "back", (dt.date.fromisoformat(today) - dt.date.fromisoformat(last_seen)).days
    else:
        status = "developing"
    return StoryStatus(
        id=earlier.id,
        status=status,
        first_seen=earlier.first_seen,
        last_seen=last_seen,
        signature=earlier.signature if status == "no new reporting" else combined(earlier.signature, signature),
        keys=keys,
        shown_on=shown_on,
        merged=match.merged,
        away_days=away,
        history=None if status == "no new reporting" else memory.history(earlier.id, before=today),
    )
