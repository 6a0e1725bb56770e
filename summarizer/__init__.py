"""summarizer: structured, grounded briefs of news articles.

Library API::

    from summarizer import summarize_article, Settings
    brief = summarize_article("article.txt")                  # provider from the environment
    brief = summarize_article("article.txt", settings=Settings(provider="replay"))
"""

from summarizer.articles import article_from_text, load_article
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
from summarizer.render import brief_to_json, brief_to_markdown
from summarizer.schemas import Article, ArticleBrief

__all__ = [
    "Article",
    "ArticleBrief",
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
