"""``StoryRun`` and ``DayRun``: what a news day made of each story, and of the whole day."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from summarizer.brief.schema import ArticleBrief
from summarizer.inputs.loading import LoadedArticle
from summarizer.memory.facts import Figure, figures_of
from summarizer.memory.recall import StoryStatus
from summarizer.memory.records import EventRecord
from summarizer.memory.since import SinceItem
from summarizer.runs.many_inputs import BriefOutcome, SynthesisRun
from summarizer.stories.grouping import Story
from summarizer.synthesis.schema import Synthesis


@dataclass
class StoryRun(SynthesisRun):
    """One story of the day: its articles' briefs (story order) and its synthesis when it has two or more."""

    synthesis: Synthesis | None = None
    story: Story = field(kw_only=True)
    memory: StoryStatus | None = field(default=None, kw_only=True)
    since: list[SinceItem] = field(default_factory=list, kw_only=True)
    trail: list[str] = field(default_factory=list, kw_only=True)
    earlier: list[EventRecord] = field(default_factory=list, kw_only=True)

    @cached_property
    def figures(self) -> list[Figure]:
        """The reported, dated figures of its briefed articles (``figures_of``), found once when first asked for (after
        the briefs are made): the "since" trail and the memory's record both read them.
        """
        return figures_of(self.articles)

    @property
    def quiet(self) -> bool:
        """Every article was shown in an earlier briefing: the story is listed, not briefed again."""
        return self.memory is not None and self.memory.status == "no new reporting"

    @property
    def ok(self) -> bool:
        """Every article briefed, and a story of two or more synthesized in full."""
        if any(outcome.brief is None for outcome in self.outcomes):
            return False
        if len(self.briefed) < 2:
            return True
        return self.synthesis is not None and not self.synthesis.failed_groups


@dataclass
class DayRun:
    """Every story of the day (ranked), the inputs that failed, and the articles left out by date."""

    stories: list[StoryRun]
    unreadable: list[BriefOutcome] = field(default_factory=list)
    left_out: list[LoadedArticle] = field(default_factory=list)

    @property
    def outcomes(self) -> list[BriefOutcome]:
        """Every outcome: each story's articles (ranked order), then the unreadable inputs."""
        return [outcome for story in self.stories for outcome in story.outcomes] + self.unreadable

    @property
    def failures(self) -> list[BriefOutcome]:
        """Inputs that could not be read or briefed."""
        return [outcome for outcome in self.outcomes if outcome.brief is None]

    @property
    def briefs(self) -> list[ArticleBrief]:
        """Every brief made, in briefing order."""
        return [brief for story in self.stories for brief in story.briefs]

    @property
    def ok(self) -> bool:
        """True when every input was read and briefed and every story of two or more was synthesized."""
        return not self.unreadable and all(story.ok for story in self.stories)
