"""Measure story memory: how well stories are matched across days, and how matching and recording scale.

Usage:
  python bench/memory.py --match              # scores of same-story and different-story pairs across days
  python bench/memory.py --scale 30 5000      # 30 days of 5,000 synthetic articles: time per day, database size

``--match`` (no model call) splits continuing stories by publication day and
scores each day's articles against the story as remembered from its latest
earlier day (what ``summarizer daily`` compares): ``tests/data/M000`` (ten
WikiNews articles on the 2004 tsunami, nine days) and ``seeds/`` (five
articles on US-China defence talks, in file order). Different stories: every
article of ``../shared/eval/qags/articles`` (231 CNN / Daily Mail articles)
scored against those stories and against each other, and the four
``tests/data/sport`` stories against each other (close topics, different
events). It prints the distributions and what each threshold keeps and merges.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from summarizer.inputs.article import Article
from summarizer.inputs.building import article_from_text
from summarizer.memory.matching import MATCH_THRESHOLD, score_blocks

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def _articles(folder: Path) -> list[Article]:
    return [
        article_from_text(path.read_text(encoding="utf-8"), article_id=path.stem, source=str(path))
        for path in sorted(folder.glob("*.txt"))
    ]


def _by_day(articles: list[Article]) -> list[list[Article]]:
    days: dict[dt.date, list[Article]] = {}
    for article in articles:
        days.setdefault(article.published or dt.date.min, []).append(article)
    return [days[day] for day in sorted(days)]


def _scores(today: list, earlier: list) -> np.ndarray:
    return np.vstack([block for _, block in score_blocks(today, earlier)])


def match_quality() -> None:
    """Print same-story and different-story scores, and the errors at several thresholds.

    Every score is computed among all the stories at once (231 CNN / DM
    articles remembered beside the continuing story), so term rarity is
    weighed as in a real memory.
    """
    from summarizer.memory.signature import combined, signatures_of

    others = _articles(EVAL / "qags" / "articles")
    distractors = signatures_of([[article] for article in others])
    same: list[tuple[str, float]] = []
    different: list[tuple[str, float]] = []
    continuing = {"M000": _by_day(_articles(ROOT / "tests/data/M000")), "seeds": [[a] for a in _articles(ROOT / "seeds")]}
    for name, days in continuing.items():
        signatures = signatures_of(days)
        remembered = signatures[0]
        for day in range(1, len(days)):
            scores = _scores([signatures[day]], [remembered, *distractors])[0]
            same.append((f"{name} day {day + 1} ({', '.join(a.id for a in days[day])})", float(scores[0])))
            remembered = combined(remembered, signatures[day])
        scores = _scores(distractors, [remembered, *distractors])
        for number, article in enumerate(others):
            different.append((f"{article.id[:16]} vs {name}", float(scores[number, 0])))
    scores = _scores(distractors, distractors)
    np.fill_diagonal(scores, -1.0)
    for number, article in enumerate(others):
        closest = int(np.argmax(scores[number]))
        if closest > number or int(np.argmax(scores[closest])) != number:  # each mutual pair once
            different.append((f"{article.id[:16]} vs {others[closest].id[:16]} (closest other)", float(scores[number, closest])))
    sport = _articles(ROOT / "tests/data/sport")
    scores = _scores(signatures_of([[a] for a in sport]), [*signatures_of([[a] for a in sport]), *distractors])
    for i, j in itertools.combinations(range(len(sport)), 2):
        different.append((f"sport {sport[i].id[8:20]} vs {sport[j].id[8:20]}", float(scores[i, j])))
    print(f"same story, day after day: {len(same)} pairs")
    for label, score in same:
        print(f"  {score:.3f}  {label}")
    ordered = sorted(score for _, score in different)
    print(f"different stories: {len(different)} pairs; median {statistics.median(ordered):.3f}; highest ten:")
    for label, score in sorted(different, key=lambda pair: -pair[1])[:10]:
        print(f"  {score:.3f}  {label}")
    print("threshold: same-story days missed / different-story pairs over it")
    for threshold in (0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50):
        missed = sum(score < threshold for _, score in same)
        merged = sum(score >= threshold for score in ordered)
        marker = "  <- MATCH_THRESHOLD" if abs(threshold - MATCH_THRESHOLD) < 1e-9 else ""
        print(f"  {threshold:.2f}: {missed}/{len(same)} missed, {merged}/{len(ordered)} over{marker}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--match", action="store_true", help="match quality on labelled continuing stories")
    parser.add_argument("--scale", nargs=2, type=int, metavar=("DAYS", "ARTICLES"), help="replay DAYS days of ARTICLES each")
    arguments = parser.parse_args()
    if arguments.match:
        match_quality()
    if arguments.scale:
        scale(*arguments.scale)
    if not arguments.match and not arguments.scale:
        parser.print_help()
        sys.exit(2)


WORDS = [f"w{n:05d}" for n in range(40_000)]
COMMON = [f"c{n:03d}" for n in range(400)]


def _synthetic_day(day: dt.date, count: int, topics: list[list[str]], rng: random.Random) -> list[tuple[int, list[Article]]]:
    """``count`` articles on stories of ~3 articles; a third of the stories go on from earlier days' topics."""
    stories: list[tuple[int, list[Article]]] = []
    made = 0
    while made < count:
        if topics and rng.random() < 0.33:  # a topic of the last ten days or so
            topic = rng.randrange(max(0, len(topics) - 3 * count), len(topics))
        else:
            topics.append(rng.sample(WORDS, 30))
            topic = len(topics) - 1
        articles = []
        for _ in range(min(rng.randint(1, 5), count - made)):
            length = rng.randint(150, 400)
            words = [rng.choice(topics[topic]) if rng.random() < 0.4 else rng.choice(COMMON) for _ in range(length)]
            sentences = [" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, len(words), 20)]
            article_id = f"{day.isoformat()}-{made}"
            articles.append(article_from_text("\n\n".join(sentences), article_id=article_id, source=f"{article_id}.txt",
                                              published=day))  # fmt: skip
            made += 1
        stories.append((topic, articles))
    return stories


def scale(days: int, articles: int) -> None:
    """Replay ``days`` days of ``articles`` synthetic articles through matching and recording; print time and size."""
    from summarizer.memory.recall import recall_stories
    from summarizer.memory.records import ArticleRecord, StoryDay
    from summarizer.memory.store import StoryMemory
    from summarizer.stories.grouping import Story

    rng = random.Random(7)
    topics: list[list[str]] = []
    story_of_topic: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        memory = StoryMemory(Path(folder) / "memory.sqlite", days=14)
        print("day  stories  remembered  recall s  record s  kept ids of continuing topics  database MB")
        recall_times, record_times = [], []
        for number in range(days):
            day = dt.date(2026, 1, 1) + dt.timedelta(days=number)
            made = _synthetic_day(day, articles, topics, rng)
            stories = [Story(articles=story_articles) for _, story_articles in made]
            remembered = len(memory.remembered(day.isoformat()))
            started = time.perf_counter()
            statuses = recall_stories(memory, day, stories)
            recall_times.append(time.perf_counter() - started)
            continuing = [(topic, status) for (topic, _), status in zip(made, statuses, strict=True) if topic in story_of_topic]
            kept = sum(status.id == story_of_topic[topic] for topic, status in continuing)
            records = [
                StoryDay(status.id, day.isoformat(), status.status, "headline", status.signature,
                         [ArticleRecord(status.keys[a.id], a.id, a.source) for a in story.articles])
                for story, status in zip(stories, statuses, strict=True)
            ]  # fmt: skip
            texts = {status.keys[a.id]: a.text for story, status in zip(stories, statuses, strict=True) for a in story.articles}
            started = time.perf_counter()
            memory.record(day.isoformat(), records, texts)
            record_times.append(time.perf_counter() - started)
            for (topic, _), status in zip(made, statuses, strict=True):
                story_of_topic.setdefault(topic, status.id)
            size = sum(f.stat().st_size for f in Path(folder).iterdir()) / 1e6
            print(f"{number + 1:3d}  {len(stories):7d}  {remembered:10d}  {recall_times[-1]:8.1f}  {record_times[-1]:8.1f}  "
                  f"{kept:5d} of {len(continuing):5d}  {size:11.1f}")  # fmt: skip
        print(f"median per day: recall {statistics.median(recall_times):.1f} s, record {statistics.median(record_times):.1f} s")


if __name__ == "__main__":
    main()
