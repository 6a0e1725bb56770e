"""Measure story grouping and duplicate detection, and how grouping scales.

Usage:
  python bench/stories.py                 # quality on the labelled mix, and a threshold sweep
  python bench/stories.py --scale 1000 10000   # speed and memory on synthetic articles

The labelled mix (no model call):
- ``tests/data/M000``: ten WikiNews articles on one continuing story;
- ``seeds/``: five articles on one continuing topic;
- ``../shared/eval/cnndm``: thirty CNN / Daily Mail articles, each its own story;
- near-duplicates made here from every third of those articles, three kinds
  each: other page boilerplate and outlet, a changed headline, two sentences
  edited. A copy belongs to its original's story and is its duplicate.

It prints B-cubed precision, recall and F1 of the stories over every article
(copies included), and pairwise precision and recall of duplicate detection
(a false merge is a predicted copy pair that is not one). Scale runs each
size in a fresh process: articles per second of ``group_documents`` (copies,
features, candidate pairs, clustering) and the process's peak memory.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from summarizer.inputs.article import Article
from summarizer.inputs.loading import article_from_text, iter_articles
from summarizer.stories.documents import StoryDocument
from summarizer.stories.grouping import GroupingParams, group_documents, group_stories

ROOT = Path(__file__).resolve().parent.parent
SETS = {"M000": ROOT / "tests/data/M000", "seeds": ROOT / "seeds", "cnndm": ROOT.parent / "shared/eval/cnndm"}
BOILERPLATE_TOP = ["Skip to main content", "World | Politics | Business | Sport", "Advertisement"]
BOILERPLATE_BOTTOM = [
    "Share this article",
    "Sign up for our morning newsletter",
    "© 2026 Example Wire Services. All rights reserved.",
]


def labelled_articles() -> list[tuple[Article, str]]:
    """(article, story label) for the three sets; each cnndm article is its own story."""
    items = []
    for name, folder in SETS.items():
        files = sorted(folder.glob("*.txt"))
        for loaded in iter_articles(files):
            if loaded.article is None:
                raise SystemExit(f"cannot read {loaded.source}: {loaded.error}")
            label = name if name != "cnndm" else loaded.article.id
            items.append((loaded.article, label))
    return items


def _edit_two_sentences(text: str, rng: random.Random) -> str:
    sentences = [s for s in text.split(". ") if len(s.split()) > 8]
    for sentence in rng.sample(sentences, min(2, len(sentences))):
        words = sentence.split()
        words.insert(len(words) // 2, "reportedly")
        words[-1] = words[-1] + ", officials added"
        text = text.replace(sentence, " ".join(words), 1)
    return text


def near_duplicates(items: list[tuple[Article, str]], rng: random.Random) -> list[tuple[Article, str, str]]:
    """(copy, story label, original id): three kinds of copy of every third article."""
    copies = []
    for article, label in items[::3]:
        body = "\n\n".join(sentence.text for sentence in article.sentences)
        title = article.title or "Untitled"
        kinds = {
            "boilerplate": "\n\n".join([*BOILERPLATE_TOP, title, body, *BOILERPLATE_BOTTOM]),
            "headline": "\n\n".join([f"UPDATED: {title} as officials respond", body]),
            "edited": "\n\n".join([title, _edit_two_sentences(body, rng)]),
        }
        for kind, text in kinds.items():
            copy = article_from_text(
                text, source=f"copy:{kind}:{article.id}", article_id=f"{article.id}--{kind}", outlet=f"{kind} wire"
            )
            copies.append((copy, label, article.id))
    return copies


def bcubed(found: list[int], truth: list[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of cluster ids ``found`` against labels ``truth``."""
    precision, recall = [], []
    for i in range(len(truth)):
        same_found = {j for j in range(len(truth)) if found[j] == found[i]}
        same_truth = {j for j in range(len(truth)) if truth[j] == truth[i]}
        both = len(same_found & same_truth)
        precision.append(both / len(same_found))
        recall.append(both / len(same_truth))
    p, r = statistics.mean(precision), statistics.mean(recall)
    return p, r, 2 * p * r / (p + r)


def quality(params: GroupingParams, articles: list[Article], labels: list[str], copy_of: dict[str, str]) -> dict[str, float]:
    """Story and duplicate figures of one grouping run."""
    stories = group_stories(articles, params)
    cluster_of: dict[str, int] = {}
    predicted_pairs: set[frozenset[str]] = set()
    for number, story in enumerate(stories):
        for article in story.all_articles:
            cluster_of[article.id] = number
        for kept, copies in story.copies.items():
            ids = [kept, *(copy.id for copy in copies)]
            predicted_pairs |= {frozenset(pair) for pair in itertools.combinations(ids, 2)}
    p, r, f1 = bcubed([cluster_of[article.id] for article in articles], labels)
    families: dict[str, list[str]] = {}
    for copy, original in copy_of.items():
        families.setdefault(original, [original]).append(copy)
    true_pairs = {frozenset(pair) for ids in families.values() for pair in itertools.combinations(ids, 2)}
    found = len(predicted_pairs & true_pairs)
    return {
        "precision": p,
        "recall": r,
        "f1": f1,
        "stories": len(stories),
        "dup_precision": found / len(predicted_pairs) if predicted_pairs else 1.0,
        "dup_recall": found / len(true_pairs) if true_pairs else 1.0,
        "false_merges": len(predicted_pairs - true_pairs),
    }


def run_quality() -> None:
    items = labelled_articles()
    copies = near_duplicates(items, random.Random(7))
    articles = [article for article, _ in items] + [copy for copy, _, _ in copies]
    labels = [label for _, label in items] + [label for _, label, _ in copies]
    copy_of = {copy.id: original for copy, _, original in copies}
    counts = Counter(labels)
    print(f"labelled mix: {len(articles)} articles ({len(items)} originals, {len(copies)} near-duplicates) in "
          f"{len(counts)} stories; M000 {counts['M000']}, seeds {counts['seeds']}")  # fmt: skip
    defaults = GroupingParams()
    started = time.perf_counter()
    result = quality(defaults, articles, labels, copy_of)
    seconds = time.perf_counter() - started
    print(f"\ndefaults {defaults}")
    print(f"stories   B-cubed P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}  "
          f"({result['stories']:.0f} stories found, {seconds:.2f} s)")  # fmt: skip
    print(f"copies    precision {result['dup_precision']:.3f}  recall {result['dup_recall']:.3f}  "
          f"false merges {result['false_merges']:.0f}")  # fmt: skip
    per_set = {name: [a.id for a, label in zip(articles, labels, strict=True) if label == name] for name in ("M000", "seeds")}
    stories = group_stories(articles, defaults)
    for name, ids in per_set.items():
        parts = [len([a for a in story.all_articles if a.id in ids]) for story in stories]
        print(f"  {name}: split as {sorted((p for p in parts if p), reverse=True)}")
    print("\nsweep of the story threshold (other defaults kept):")
    for threshold in (0.2, 0.25, 0.275, 0.3, 0.325, 0.35, 0.4, 0.45):
        swept = quality(replace(defaults, story_threshold=threshold), articles, labels, copy_of)
        print(f"  {threshold:<6} P {swept['precision']:.3f}  R {swept['recall']:.3f}  F1 {swept['f1']:.3f}")
    print("sweep of the term weight (TF-IDF share of the score):")
    for weight in (0.0, 0.25, 0.5, 0.75, 1.0):
        swept = quality(replace(defaults, term_weight=weight), articles, labels, copy_of)
        print(f"  {weight:<6} P {swept['precision']:.3f}  R {swept['recall']:.3f}  F1 {swept['f1']:.3f}")


def synthetic_documents(count: int, seed: int = 11) -> list[StoryDocument]:
    """``count`` articles of made-up words: stories of 1-20 articles, each with its own names and topic words."""
    rng = random.Random(seed)
    common = [f"w{n}" for n in range(5000)]
    weights = [1 / (rank + 1) for rank in range(len(common))]
    documents: list[StoryDocument] = []
    story = 0
    while len(documents) < count:
        story += 1
        topic = [f"t{story}x{n}" for n in range(30)]
        names = [f"Name{story}n{n}" for n in range(4)]
        for copy in range(min(rng.randint(1, 20), count - len(documents))):
            words = rng.choices(common, weights, k=220) + rng.choices(topic, k=60) + rng.choices(names, k=20)
            rng.shuffle(words)
            sentences = [" ".join(words[i : i + 20]) + "." for i in range(0, len(words), 20)]
            title = " ".join(rng.choices(topic + names, k=8))
            documents.append(StoryDocument(id=f"s{story}-{copy}", title=title, body=" ".join(sentences),
                                           lead=" ".join([title, *sentences[:4]])))  # fmt: skip
    return documents


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_one(count: int) -> None:
    """Group ``count`` synthetic articles in this process and print one line."""
    documents = synthetic_documents(count)
    group_documents(documents[:50])  # load the embedding model before timing
    before = _peak_mb()
    started = time.perf_counter()
    stories = group_documents(documents)
    seconds = time.perf_counter() - started
    truth = [document.id.split("-")[0] for document in documents]
    found = [0] * count
    for number, story in enumerate(stories):
        for member in story.members + [c for copies in story.copies.values() for c in copies]:
            found[member] = number
    p, r, f1 = bcubed(found, truth) if count <= 2000 else (float("nan"),) * 3
    print(f"{count:>6} articles: {seconds:6.2f} s, {count / seconds:8.0f} articles/s, peak memory {_peak_mb():.0f} MB "
          f"(before grouping {before:.0f} MB), {len(stories)} stories, {len(set(truth))} made"
          + (f", B-cubed F1 {f1:.3f}" if count <= 2000 else ""))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="*", help="synthetic article counts, each in a fresh process")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        scale_one(args.one)
    elif args.scale:
        for count in args.scale:
            subprocess.run([sys.executable, __file__, "--one", str(count)], check=True)
    else:
        run_quality()
    return 0


if __name__ == "__main__":
    sys.exit(main())
