"""Render briefs as JSON or Markdown (Jinja2 templates shipped with the package)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from summarizer.brief.schema import ArticleBrief
from summarizer.inputs.article import Article
from summarizer.output.markdown import markdown_code, markdown_heading, markdown_link, markdown_safe
from summarizer.output.web.pages import brief_page, synthesis_page
from summarizer.stories.listing import StoryListing
from summarizer.synthesis.schema import Claim, Synthesis

FORMATS = ("json", "markdown", "html")
SUFFIXES = {"json": ".brief.json", "markdown": ".brief.md", "html": ".brief.html"}


def template_environment(template_dir: Path | None = None, numbers: dict[str, int] | None = None) -> jinja2.Environment:
    """The Jinja2 environment for Markdown output: packaged templates, optionally a user's directory first.

    ``numbers`` maps article ids to source numbers for the ``refs`` filter,
    which renders a claim's citations as ``[1][3]``.
    """
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("summarizer.output", "templates")]
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(template_dir)))
    environment = _new_environment(jinja2.ChoiceLoader(loaders))
    source_numbers = numbers or {}

    def refs(claim: Claim) -> Markup:
        cited = sorted({source_numbers[article] for article in claim.article_ids if article in source_numbers})
        return Markup("".join(f"[{n}]" for n in cited))  # our own citation marks: not escaped

    environment.filters["refs"] = refs
    return environment


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return _new_environment(jinja2.PackageLoader("summarizer.output", "templates"))


def _new_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """The Jinja2 environment for Markdown: every value inert (``markdown_safe``); a missing variable is an error.

    Filters: ``code`` prints a value as a code span (file names, ids), ``link``
    an address field as an autolink (plain ``http(s)``) or a code span,
    ``heading`` a template's own heading marks (``###``).
    """
    environment = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=markdown_safe,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["code"] = markdown_code
    environment.filters["link"] = markdown_link
    environment.filters["heading"] = markdown_heading
    return environment


def brief_to_json(brief: ArticleBrief) -> str:
    """The brief as indented JSON with a trailing newline."""
    return brief.model_dump_json(indent=2) + "\n"


def brief_to_markdown(brief: ArticleBrief) -> str:
    """The brief as Markdown: verified quotes as block quotes, removals listed."""
    return _environment().get_template("brief.md.j2").render(brief=brief)


def render_brief(brief: ArticleBrief, output_format: str) -> str:
    """Render in ``json``, ``markdown`` or ``html`` (a self-contained page)."""
    if output_format == "json":
        return brief_to_json(brief)
    if output_format == "markdown":
        return brief_to_markdown(brief)
    if output_format == "html":
        return brief_page(brief)
    raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")


def render_synthesis(synthesis: Synthesis, articles: Sequence[Article], output_format: str) -> str:
    """A synthesis as JSON, as Markdown with numbered sources that resolve to the input files, or as one HTML page
    with the articles' text, each citation a link to its passage.
    """
    if output_format == "json":
        return synthesis.model_dump_json(indent=2) + "\n"
    if output_format == "html":
        return synthesis_page(synthesis, articles)
    if output_format != "markdown":
        raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
    by_id = {article.id: article for article in articles}
    ordered = [by_id[article_id] for article_id in synthesis.article_ids if article_id in by_id]
    numbers = {article.id: n for n, article in enumerate(ordered, start=1)}
    sources = [{"n": numbers[article.id], "article": article} for article in ordered]
    return template_environment(numbers=numbers).get_template("synthesis_doc.md.j2").render(synthesis=synthesis, sources=sources)


def render_stories(listing: StoryListing, output_format: str) -> str:
    """The grouping of a day as JSON, or as Markdown (stories, their articles and copies, what was not included)."""
    if output_format == "json":
        return listing.model_dump_json(indent=2) + "\n"
    if output_format != "markdown":
        raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
    return _environment().get_template("stories.md.j2").render(listing=listing)
