"""Render briefs as JSON or Markdown (Jinja2 templates shipped with the package)."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from summarizer.schemas import ArticleBrief

FORMATS = ("json", "markdown")
SUFFIXES = {"json": ".brief.json", "markdown": ".brief.md"}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def brief_to_json(brief: ArticleBrief) -> str:
    """The brief as indented JSON with a trailing newline."""
    return brief.model_dump_json(indent=2) + "\n"


def brief_to_markdown(brief: ArticleBrief) -> str:
    """The brief as Markdown: verified quotes as block quotes, removals listed."""
    return _environment().get_template("brief.md.j2").render(brief=brief)


def render_brief(brief: ArticleBrief, output_format: str) -> str:
    """Render in ``json`` or ``markdown``."""
    if output_format == "json":
        return brief_to_json(brief)
    if output_format == "markdown":
        return brief_to_markdown(brief)
    raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
