"""Parsing a batch ahead vs one parse per brief, on seed-size articles against a fake endpoint.

Usage: python bench/parse_ahead.py [--runs 3] [--articles 48] [--latency 0.05] [--concurrency 8]

Briefs ``--articles`` copies of the five seeds (each with a line added, so
nothing is parsed twice) with ``--concurrency`` requests in flight against
the loopback fake endpoint of ``bench/throughput.py``, once with the batch
parsed ahead (``nlp.pipe``, what ``iter_briefs`` does) and once with one parse
per brief, and prints the median milliseconds per article of each.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throughput import _serve  # noqa: E402

from summarizer.inputs.article import Article  # noqa: E402
from summarizer.inputs.loading import LoadedArticle, article_from_text  # noqa: E402
from summarizer.nlp.analysis import parse_ahead  # noqa: E402
from summarizer.providers.openai_compat import OpenAICompatibleProvider  # noqa: E402
from summarizer.providers.policy import RequestPolicy  # noqa: E402
from summarizer.runs import batch  # noqa: E402
from summarizer.runs.context import RunContext  # noqa: E402
from summarizer.settings import Settings  # noqa: E402


def _one_by_one(loaded: Iterable[LoadedArticle], to_parse: object, size: int) -> Iterable[LoadedArticle]:
    return loaded


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=48)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args(argv)
    for noisy in ("summarizer", "instructor"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    server, url = _serve(options.latency, 0.0)
    seeds = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]

    def articles(tag: str) -> list[LoadedArticle]:
        made: list[Article] = [
            article_from_text(f"{seeds[n % len(seeds)]}\n\nFiled as copy {tag}-{n}.", article_id=f"{tag}{n}")
            for n in range(options.articles)
        ]
        return [LoadedArticle(source=article.id, article=article) for article in made]

    parse_ahead([articles("warm")[0].article])  # type: ignore[list-item]  # load spaCy before timing
    ahead = batch._parsed_ahead
    timings: dict[str, list[float]] = {"parsed ahead": [], "one parse per brief": []}
    try:
        for run in range(options.runs):
            for mode in timings:
                batch._parsed_ahead = ahead if mode == "parsed ahead" else _one_by_one  # type: ignore[assignment]
                provider = OpenAICompatibleProvider(
                    model="fake", base_url=url, api_key="k", policy=RequestPolicy(in_flight=options.concurrency)
                )
                items = articles(f"{mode[:3]}{run}")
                started = time.perf_counter()
                context = RunContext(settings=Settings(concurrency=options.concurrency), provider=provider)
                outcomes = list(batch.iter_briefs(items, provider, context))
                timings[mode].append((time.perf_counter() - started) / len(items) * 1000)
                provider.close()
                assert all(outcome.ok for outcome in outcomes)
    finally:
        batch._parsed_ahead = ahead
        server.shutdown()
    for mode, values in timings.items():
        print(f"{mode:<20} median {statistics.median(values):6.1f} ms per article  ({', '.join(f'{v:.1f}' for v in values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
