"""Throughput against a fake endpoint: wall time at several concurrency levels against the ideal N*L/C.

Usage: python bench/throughput.py [--articles N] [--latency SECONDS] [--faults FRACTION]

A loopback OpenAI-compatible server (in a child process, so its work is
not counted as the pipeline's) answers every request after a fixed
latency L with a valid brief (or, with --faults, a 429 or 503 for that
fraction of requests). N synthetic articles are briefed with C requests in
flight for C in 1, 8, 32, 64 (C = 1 on a tenth of N, it is slow by design).
Printed per C: wall seconds, the ideal N*L/C, the percentage of ideal, the
pipeline's own time per article (wall minus the ideal, per article), HTTP
attempts per article and articles completed. Then the same for
``asyncio.gather`` over ``brief_article_async`` at C = 8 and 64.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path

from fake_endpoint import completion_body, send_json

from summarizer import brief_article_async
from summarizer.inputs.article import Article
from summarizer.inputs.loading import LoadedArticle, article_from_text
from summarizer.nlp.analysis import analyse
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.providers.policy import RequestPolicy
from summarizer.runs.batch import iter_briefs
from summarizer.runs.context import RunContext
from summarizer.settings import Settings

ANSWER = {"headline": "Council approves budget", "summary": "The council approved the budget.", "key": [1], "quotes": []}


def _serve(latency: float, faults: float) -> tuple[ThreadingHTTPServer, str]:
    rng = random.Random(0)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            time.sleep(latency)
            with lock:
                roll = rng.random()
            if roll < faults:
                status, body, extra = (
                    (429, {"error": {"message": "slow down"}}, {"retry-after": "0.05"})
                    if roll < faults / 2
                    else (503, {"error": {"message": "busy"}}, {})
                )
            else:
                status, extra, body = 200, {}, completion_body(json.dumps(ANSWER))
            send_json(self, status, body, extra)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}/v1"


class _ServerProcess:
    """The fake endpoint in a child process, so its own work does not count as the pipeline's (nor hold its GIL)."""

    def __init__(self, latency: float, faults: float) -> None:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve_forever, args=(latency, faults, sending), daemon=True)
        self.process.start()
        self.url: str = receiving.recv()

    def shutdown(self) -> None:
        self.process.terminate()
        self.process.join()


def _serve_forever(latency: float, faults: float, sending: Connection) -> None:
    server, url = _serve(latency, faults)
    sending.send(url)
    threading.Event().wait()


def _provider(url: str, workers: int) -> OpenAICompatibleProvider:
    policy = RequestPolicy(backoff_initial=0.05, backoff_max=0.5, attempts=6, in_flight=workers)
    return OpenAICompatibleProvider(model="fake", base_url=url, api_key="k", policy=policy)


def _articles(count: int) -> list[LoadedArticle]:
    return [
        LoadedArticle(
            source=f"a{n}",
            article=article_from_text(
                f"The council of town {n} approved its budget on Monday. Spending rises by {n % 9 + 1} percent.",
                article_id=f"a{n}",
            ),
        )
        for n in range(count)
    ]


async def _gather_briefs(articles: list[Article], provider: OpenAICompatibleProvider, settings: Settings) -> list[object]:
    calls = (brief_article_async(article, provider=provider, settings=settings) for article in articles)
    return [result for result in await asyncio.gather(*calls, return_exceptions=True) if not isinstance(result, Exception)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--faults", type=float, default=0.0)
    options = parser.parse_args(argv)
    for noisy in ("summarizer", "instructor"):  # the retries are counted below; one log line each would flood the table
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    server = _ServerProcess(options.latency, options.faults)
    url = server.url
    header = f"{'C':>3} {'N':>5} {'wall s':>8} {'ideal s':>8} {'% ideal':>8} {'own ms/article':>15}"
    print(header + f" {'attempts/article':>17} {'done':>6}")
    analyse(_articles(1)[0].article)  # type: ignore[arg-type]  # load spaCy's pipeline before timing anything
    try:
        for workers in (1, 8, 32, 64):
            count = max(1, options.articles // 10) if workers == 1 else options.articles
            loaded = _articles(count)
            provider = _provider(url, workers)
            settings = Settings(concurrency=workers)
            started = time.monotonic()
            outcomes = list(iter_briefs(loaded, provider, RunContext(settings=settings, provider=provider)))
            wall = time.monotonic() - started
            ideal = count * options.latency / workers
            done = sum(outcome.ok for outcome in outcomes)
            attempts = sum(o.brief.usage.attempts for o in outcomes if o.brief is not None) / max(done, 1)
            own = max(wall - ideal, 0.0) / count * 1000
            row = f"{workers:>3} {count:>5} {wall:>8.2f} {ideal:>8.2f} {100 * ideal / wall:>7.0f}% {own:>15.1f}"
            print(row + f" {attempts:>17.2f} {done:>3}/{count}", flush=True)
            provider.close()
        print("\nasyncio.gather over brief_article_async, same endpoint:")
        print(header)
        for workers in (8, 64):
            count = options.articles
            articles = [item.article for item in _articles(count) if item.article is not None]
            provider = _provider(url, workers)
            settings = Settings(concurrency=workers)

            started = time.monotonic()
            done = len(asyncio.run(_gather_briefs(articles, provider, settings)))
            wall = time.monotonic() - started
            ideal = count * options.latency / workers
            own = max(wall - ideal, 0.0) / count * 1000
            row = f"{workers:>3} {count:>5} {wall:>8.2f} {ideal:>8.2f} {100 * ideal / wall:>7.0f}% {own:>15.1f}"
            print(row + f" {'':>17} {done:>3}/{count}", flush=True)
            provider.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main(sys.argv[1:]))
