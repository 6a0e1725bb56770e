"""summarizer: structured, grounded briefs of news articles.

Library API::

    from summarizer import summarize_article, Settings
    brief = summarize_article("article.txt")                  # provider from the environment
    brief = summarize_article("article.txt", settings=Settings(provider="replay"))
    synthesis = synthesize([brief, other_brief])
    briefing = daily_briefing(["seeds/"])                      # .markdown, .synthesis, .ok
"""

from summarizer.articles import article_from_text, iter_articles, load_article
from summarizer.briefing import DailyBriefing, SynthesisRun, daily_briefing, daily_briefing_async, synthesize_files
from summarizer.config import Settings, build_provider
from summarizer.core import summarize_article, summarize_article_async, summarize_files
from summarizer.errors import (
    ConfigError,
    FixtureMissError,
    InputError,
    ModelFileError,
    PromptError,
    ProviderError,
    SummarizerError,
)
from summarizer.render import brief_to_json, brief_to_markdown, render_synthesis
from summarizer.schemas import Article, ArticleBrief, GroundingReport
from summarizer.synthesis import synthesize, synthesize_async
from summarizer.synthesis_schema import Synthesis
from summarizer.verify import check_brief, check_synthesis, verify_brief

__all__ = [
    "Article",
    "ArticleBrief",
    "DailyBriefing",
    "GroundingReport",
    "Synthesis",
    "SynthesisRun",
    "check_brief",
    "check_synthesis",
    "daily_briefing",
    "daily_briefing_async",
    "iter_articles",
    "render_synthesis",
    "synthesize",
    "synthesize_async",
    "synthesize_files",
    "verify_brief",
    "ConfigError",
    "FixtureMissError",
    "InputError",
    "ModelFileError",
    "PromptError",
    "ProviderError",
    "Settings",
    "SummarizerError",
    "article_from_text",
    "brief_to_json",
    "brief_to_markdown",
    "build_provider",
    "load_article",
    "summarize_article",
    "summarize_article_async",
    "summarize_files",
]
