"""The whole daily briefing as JSON: per story its id, status, days, articles (new or shown before), "since" items, synthesis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from summarizer.inputs.article import Article
from summarizer.output.briefing import DailyBriefing
from summarizer.runs.day import StoryRun


def _article(run: StoryRun, article: Article) -> dict[str, Any]:
    place = {"url": article.url} if article.url and article.url == article.source else {"path": article.source}
    status = run.memory
    return {
        "id": article.id,
        **place,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "new": status.is_new(article.id) if status else True,
        "shown_on": status.shown_on.get(article.id) if status else None,
    }


def _story(run: StoryRun, day: dt.date) -> dict[str, Any]:
    status = run.memory
    briefs = {brief.article_id: brief for brief in run.briefs}
    return {
        "id": status.id if status else None,
        "status": status.status if status else None,
        "label": status.label if status else None,
        "first_seen": status.first_seen if status else day.isoformat(),
        "last_seen": status.last_seen if status else None,
        "headline": run.story.headline,
        "merged": list(status.merged) if status else [],
        "articles": [{**_article(run, a), "brief": a.id in briefs} for a in run.story.all_articles],
        "since": [
            {
                "kind": item.kind,
                "text": item.text,
                "citation": item.citation.article_id,
                "sentence": item.citation.sentence,
                "passage": {"start": item.start, "end": item.end},
            }
            for item in run.since
        ],  # fmt: skip
        "figures_across_days": run.trail,
        "earlier_events": [{"date": e.date, "text": e.text, "article": e.input_id} for e in run.earlier],
        "briefs": [brief.model_dump(mode="json") for brief in run.briefs],
        "synthesis": run.synthesis.model_dump(mode="json") if run.synthesis is not None else None,
        "synthesis_error": run.synthesis_error,
    }


def briefing_json(briefing: DailyBriefing) -> dict[str, Any]:
    """Everything the briefing shows, as plain data (stories in briefing order; the Markdown is not repeated)."""
    return {
        "date": briefing.date.isoformat(),
        "ok": briefing.ok,
        "stories": [_story(run, briefing.date) for run in briefing.stories],
        "not_included": [outcome.error for outcome in briefing.failures],
        "left_out": [{"source": item.source, "why": item.left_out} for item in briefing.left_out],
    }
