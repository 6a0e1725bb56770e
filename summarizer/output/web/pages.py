"""One-file web pages: a brief, and a synthesis with its articles' text (every cited passage an anchor on the page)."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.brief.schema import ArticleBrief
from summarizer.inputs.article import Article
from summarizer.output.web.charts import chart_of
from summarizer.output.web.environment import web_environment
from summarizer.output.web.paragraphs import paragraphs_of
from summarizer.synthesis.schema import Synthesis


def brief_page(brief: ArticleBrief) -> str:
    """A brief as a self-contained HTML page (each key point's evidence shown with it)."""
    return web_environment({}, lambda n, s: "").get_template("brief.html.j2").render(brief=brief)


def synthesis_page(synthesis: Synthesis, articles: Sequence[Article]) -> str:
    """A synthesis as one HTML page: its sections, then its articles, each citation a link to its passage on the page."""
    by_id = {article.id: article for article in articles}
    ordered = [by_id[article_id] for article_id in synthesis.article_ids if article_id in by_id]
    numbers = {article.id: n for n, article in enumerate(ordered, start=1)}
    environment = web_environment(numbers, lambda n, s: f"#a{n}-s{s}" if s is not None else f"#a{n}")
    sources = [{"n": numbers[a.id], "article": a, "paragraphs": paragraphs_of(a)} for a in ordered]
    charts = [chart_of(series) for series in synthesis.figures]
    return environment.get_template("synthesis_doc.html.j2").render(synthesis=synthesis, sources=sources, charts=charts)
