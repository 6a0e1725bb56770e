"""A day's stories and the story memory: what each story adds since its last briefing, and the day recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from summarizer.inputs.article import Article
from summarizer.memory.facts import Figure, actors_of, events_of
from summarizer.memory.recall import StoryStatus
from summarizer.memory.records import ArticleRecord, EventRecord, FigureRecord, StoryDay
from summarizer.memory.since import since_items
from summarizer.memory.store import StoryMemory
from summarizer.runs.story_run import StoryRun
from summarizer.stories.grouping import source_count
from summarizer.synthesis.schema import figure_label

MAX_TRAILS = 3
MAX_EARLIER_EVENTS = 5  # the latest dated events of earlier briefings, for a timeline across days


def new_coverage(run: StoryRun) -> int:
    """Distinct sources among the story's articles not shown before (all its sources without a memory)."""
    status = run.memory
    return source_count([a for a in run.story.all_articles if status is None or status.is_new(a.id)])


def new_articles(run: StoryRun) -> list[Article]:
    """The story's briefed articles that no earlier briefing showed."""
    status = run.memory
    return [article for article in run.articles if status is None or status.is_new(article.id)]


def find_since(run: StoryRun, memory: StoryMemory) -> None:
    """Fill ``run.since`` for a developing story, or one that is back."""
    status = run.memory
    if status is None or status.history is None or status.last_seen is None or run.quiet:
        return
    shown = list(reversed(status.history.articles))
    texts = memory.texts(record.key for record in shown)
    earlier = [texts[record.key] for record in shown if record.key in texts]
    run.since = since_items(new_articles(run), run.briefs, status.history, status.last_seen, earlier)
    run.trail = figure_trail(status.history.figures, run.figures)
    run.earlier = status.history.events[-MAX_EARLIER_EVENTS:]


def figure_trail(earlier: Sequence[FigureRecord], today: Sequence[Figure]) -> list[str]:
    """Each quantity reported on two or more days, earlier briefings' values and today's: 'deaths: 80,000 on … → …'."""
    by_label: dict[str, dict[str, set[tuple[float, str]]]] = {}
    for record in earlier:
        by_label.setdefault(figure_label(record.quantity, record.scope), {}).setdefault(record.reported or "", set()).add(
            (record.value, record.text)
        )
    for figure in today:
        by_label.setdefault(figure.label, {}).setdefault(figure.point.date or "", set()).add(
            (figure.point.value, figure.point.text)
        )
    lines = []
    for label, days in sorted(by_label.items(), key=lambda pair: (-len(pair[1]), pair[0])):
        if len(days) < 2:
            continue
        steps = []
        for day, values in sorted(days.items()):
            low, high = min(values), max(values)
            steps.append(f"{low[1]} on {day}" if low[0] == high[0] else f"{low[1]} to {high[1]} on {day}")
        lines.append(f"{label}: " + " → ".join(steps))
    return lines[:MAX_TRAILS]


def _article_record(article: Article, status: StoryStatus) -> ArticleRecord:
    return ArticleRecord(
        key=status.keys[article.id],
        input_id=article.id,
        source=article.source,
        url=article.url,
        title=article.title,
        published=article.published.isoformat() if article.published else None,
        new=status.is_new(article.id),
    )


def story_day(run: StoryRun, day: dt.date) -> StoryDay:
    """What the memory keeps of ``run`` on ``day``: its articles, and for a story with news its figures, events, actors."""
    status = run.memory
    assert status is not None
    articles = run.story.all_articles
    records = [_article_record(article, status) for article in articles]
    if run.quiet or not run.briefed:
        return StoryDay(status.id, day.isoformat(), status.status, run.story.headline, status.signature, records,
                        merged=list(status.merged))  # fmt: skip
    briefed = run.articles
    figures = [
        FigureRecord(f.quantity, f.scope, f.point.value, f.point.text, f.point.date, f.point.citation.article_id,
                     f.point.citation.evidence or "")
        for f in run.figures
    ]  # fmt: skip
    synthesis = run.synthesis
    events = synthesis.dated_events() if synthesis is not None else events_of(briefed, run.briefs)
    actors = [actor.name for actor in (synthesis.actors if synthesis is not None else actors_of(briefed, run.briefs))]
    if synthesis is not None:
        sentences = [synthesis.overview.text, *(claim.text for claim in synthesis.agreements)]
    else:
        sentences = [text for brief in run.briefs for text in (brief.headline, brief.summary)]
    return StoryDay(
        story_id=status.id,
        day=day.isoformat(),
        status=status.status,
        headline=run.story.headline if len(briefed) > 1 else run.briefs[0].headline,
        signature=status.signature,
        articles=records,
        figures=figures,
        events=[EventRecord(e.date.value or "", e.text, e.citations[0].article_id) for e in events],
        actors=actors,
        sentences=sentences,
        merged=list(status.merged),
    )


def record_day(memory: StoryMemory, day: dt.date, runs: Sequence[StoryRun]) -> None:
    """Record the day's stories, replacing whatever the memory held for ``day``; new articles' text kept."""
    texts = {}
    for run in runs:
        status = run.memory
        if status is not None:
            texts.update({status.keys[a.id]: a.text for a in run.story.all_articles if status.is_new(a.id)})
    memory.record(day.isoformat(), [story_day(run, day) for run in runs if run.memory is not None], texts)
