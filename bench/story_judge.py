"""Experiment (not in the product): the model judging story pairs that score just under the memory's match threshold.

Usage: python bench/story_judge.py [--low 0.25] [--high 0.40] [--provider local]

The pairs are those of ``python bench/memory.py --match`` (continuing
stories split by day, against 231 CNN / Daily Mail articles) whose score is
in [low, high); each is put to the model with ``bench/prompts/same_story.toml``
(the earlier story's and the new articles' headlines and first sentences).
It prints each answer, then how many same-story days the model would keep,
how many different-story pairs it would merge, and the median seconds per
request.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from memory import EVAL, ROOT, _articles, _by_day, _scores
from pydantic import BaseModel

from summarizer.errors import SummarizerError
from summarizer.inputs.article import Article
from summarizer.memory.signature import combined, signatures_of
from summarizer.prompts import get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest
from summarizer.providers.factory import build_provider
from summarizer.settings import Settings

PROMPTS = Path(__file__).parent / "prompts"


class Same(BaseModel):
    """The model's answer."""

    same: bool


def _lines(articles: list[Article]) -> list[str]:
    return [f"{a.title or ''}: {a.sentences[0].text if a.sentences else ''}"[:400] for a in articles[-3:]]


def _pairs() -> list[tuple[str, bool, float, list[Article], list[Article]]]:
    others = _articles(EVAL / "qags" / "articles")
    distractors = signatures_of([[article] for article in others])
    pairs = []
    continuing = {"M000": _by_day(_articles(ROOT / "tests/data/M000")), "seeds": [[a] for a in _articles(ROOT / "seeds")]}
    for name, days in continuing.items():
        signatures = signatures_of(days)
        remembered, seen = signatures[0], list(days[0])
        for day in range(1, len(days)):
            score = float(_scores([signatures[day]], [remembered, *distractors])[0][0])
            pairs.append((f"{name} day {day + 1}", True, score, list(seen), days[day]))
            remembered, seen = combined(remembered, signatures[day]), seen + days[day]
        scores = _scores(distractors, [remembered, *distractors])
        pairs += [(f"{a.id[:16]} vs {name}", False, float(scores[n, 0]), seen, [a]) for n, a in enumerate(others)]
    scores = _scores(distractors, distractors)
    np.fill_diagonal(scores, -1.0)
    for number, article in enumerate(others):
        closest = int(np.argmax(scores[number]))
        if closest > number or int(np.argmax(scores[closest])) != number:
            label = f"{article.id[:16]} vs {others[closest].id[:16]}"
            pairs.append((label, False, float(scores[number, closest]), [others[closest]], [article]))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--low", type=float, default=0.25)
    parser.add_argument("--high", type=float, default=0.40)
    parser.add_argument("--provider", default="local")
    arguments = parser.parse_args()
    border = [pair for pair in _pairs() if arguments.low <= pair[2] < arguments.high]
    print(f"{len(border)} pairs in [{arguments.low}, {arguments.high}), {sum(p[1] for p in border)} of them one story")
    provider = build_provider(Settings(provider=arguments.provider, ledger_path=None))
    prompt = get_prompt("same_story", PROMPTS)
    seconds, answers = [], []
    try:
        for label, same, score, earlier, new in border:
            request = ModelRequest.from_prompt(
                prompt, {"earlier": _lines(earlier), "new": _lines(new)}, Same, GenerationParams(max_tokens=16)
            )
            started = time.perf_counter()
            try:
                said: bool | None = provider.complete(request).output.same
            except SummarizerError:
                said = None
            seconds.append(time.perf_counter() - started)
            answers.append((same, said))
            print(f"{score:.3f}  one story: {same!s:5}  model: {said}  {label}", flush=True)
    finally:
        provider.close()
    kept = sum(1 for same, said in answers if same and said)
    merged = sum(1 for same, said in answers if not same and said)
    print(f"one-story pairs kept {kept} of {sum(s for s, _ in answers)}; different-story pairs merged {merged} of "
          f"{sum(not s for s, _ in answers)}; median {statistics.median(seconds):.1f} s per request")  # fmt: skip


if __name__ == "__main__":
    main()
