"""summarizer: structured, grounded briefs of news articles, their synthesis, and a daily briefing.

Library API::

    from summarizer import brief_article, synthesize, daily_briefing, Settings
    brief = brief_article("article.txt")                       # settings from the environment
    brief = brief_article("article.txt", settings=Settings(provider="replay"))
    synthesis = synthesize([brief, other_brief])
    briefing = daily_briefing(["seeds/"])                       # .markdown, .stories, .ok
    listing = find_stories(["news/", "https://example.com/feed.rss"])   # no model call

The stages, in the order they may import each other: ``text`` -> ``inputs``
-> ``nlp`` -> ``checks`` -> ``providers`` -> ``brief`` -> ``synthesis`` -> ``stories`` -> ``runs`` ->
``output`` -> ``cli`` (see ARCHITECTURE.md).
"""

from summarizer.brief.schema import ArticleBrief, GroundingReport, ItemCheck
from summarizer.brief.verify import check_brief, verify_brief
from summarizer.checks.summary import SentenceCheck, SummaryCheck, check_summary
from summarizer.errors import (
    ConfigError,
    EndpointError,
    FixtureMissError,
    InputError,
    ModelFileError,
    OutputError,
    PromptError,
    ProviderError,
    RunError,
    SetupError,
    SummarizerError,
    TemplateError,
    UsageError,
)
from summarizer.inputs.article import Article
from summarizer.inputs.loading import LoadedArticle, article_from_text, iter_articles, load_article
from summarizer.inputs.window import DateWindow
from summarizer.memory.recall import StoryStatus
from summarizer.memory.since import SinceItem
from summarizer.memory.store import MemoryBusy, StoryMemory
from summarizer.output.briefing import DailyBriefing, daily_briefing, daily_briefing_async, render_briefing
from summarizer.output.briefing_json import briefing_json
from summarizer.output.files import brief_files
from summarizer.output.render import brief_to_json, brief_to_markdown, render_synthesis
from summarizer.providers.base import FlaggedItem, GenerationParams, ModelRequest, ModelResult, Provider, Usage
from summarizer.providers.factory import build_provider
from summarizer.runs.cache import BriefCache
from summarizer.runs.calls import brief_article, brief_article_async, synthesize, synthesize_async
from summarizer.runs.context import RunContext
from summarizer.runs.day import DayRun, StoryRun, find_stories, run_day
from summarizer.runs.many_inputs import BriefOutcome, RunProgress, SynthesisRun, synthesize_files
from summarizer.settings import Settings
from summarizer.stories.grouping import GroupingParams, Story, group_stories
from summarizer.stories.listing import StoryListing
from summarizer.synthesis.schema import Synthesis
from summarizer.synthesis.verify import check_synthesis

# The earlier names of brief_article, kept so existing callers keep working.
summarize_article = brief_article
summarize_article_async = brief_article_async

__all__ = [
    "Article",
    "ArticleBrief",
    "BriefCache",
    "BriefOutcome",
    "ConfigError",
    "DailyBriefing",
    "DateWindow",
    "DayRun",
    "EndpointError",
    "FixtureMissError",
    "FlaggedItem",
    "GenerationParams",
    "GroupingParams",
    "GroundingReport",
    "InputError",
    "ItemCheck",
    "LoadedArticle",
    "MemoryBusy",
    "ModelFileError",
    "ModelRequest",
    "ModelResult",
    "OutputError",
    "PromptError",
    "Provider",
    "ProviderError",
    "RunError",
    "RunContext",
    "RunProgress",
    "SentenceCheck",
    "SetupError",
    "Settings",
    "SinceItem",
    "Story",
    "StoryListing",
    "StoryMemory",
    "StoryRun",
    "StoryStatus",
    "SummaryCheck",
    "SummarizerError",
    "Synthesis",
    "SynthesisRun",
    "TemplateError",
    "Usage",
    "UsageError",
    "article_from_text",
    "brief_article",
    "brief_article_async",
    "brief_files",
    "brief_to_json",
    "briefing_json",
    "brief_to_markdown",
    "build_provider",
    "check_brief",
    "check_summary",
    "check_synthesis",
    "daily_briefing",
    "daily_briefing_async",
    "find_stories",
    "group_stories",
    "iter_articles",
    "load_article",
    "render_briefing",
    "run_day",
    "render_synthesis",
    "summarize_article",
    "summarize_article_async",
    "synthesize",
    "synthesize_async",
    "synthesize_files",
    "verify_brief",
]
