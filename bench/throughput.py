"""Throughput against a fake endpoint: wall time against the ideal requests x L x N / C, own CPU per article.

Usage: python bench/throughput.py [--articles N] [--latency SECONDS] [--concurrency C[,C...]]
                                  [--processes P[,P...]] [--faults FRACTION] [--gather]

A loopback OpenAI-compatible server (in a child process, so its work is
not counted as the pipeline's) answers every request after a fixed
latency L with a valid brief built from the article's first sentences
(or, with --faults, a 429 or 503 for that fraction of requests). N
seed-size articles (the CNN / Daily Mail evaluation articles and the
seeds, 450 words median, each copy made distinct) are briefed with C
requests in flight, their parsing in P processes (``Settings.processes``;
1: in this process). Printed per (C, P): wall seconds, the ideal (HTTP
requests made x L / C), the percentage of ideal, CPU seconds per article
of this process and of the parsing workers, the least wall time that CPU
allows on this machine's cores, HTTP attempts per article and articles
completed. ``--gather``: also ``asyncio.gather`` over
``brief_article_async`` (no parsing ahead).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import random
import re
import resource
import sys
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from fake_endpoint import completion_body, send_json
from profile_brief import seed_size_articles

from summarizer import brief_article_async
from summarizer.inputs.article import Article
from summarizer.inputs.loading import LoadedArticle
from summarizer.nlp.analysis import analyse
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.providers.policy import RequestPolicy
from summarizer.runs.context import RunContext
from summarizer.runs.many_inputs import iter_briefs
from summarizer.settings import Settings, available_cores

FIRST_SENTENCE = re.compile(r"^\[1\] (.+)$", re.MULTILINE)


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    """A brief a good model would give: the lead as headline and summary, the first sentences as key points."""
    prompt = request["messages"][-1]["content"]
    found = FIRST_SENTENCE.search(prompt)
    lead = found.group(1) if found else "The article."
    return {"headline": " ".join(lead.split()[:10]), "summary": lead[:300], "key": [1, 2, 3], "quotes": []}


def _serve(latency: float, faults: float) -> tuple[ThreadingHTTPServer, str]:
    rng = random.Random(0)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            request = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
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
                status, extra, body = 200, {}, completion_body(json.dumps(_answer(request)))
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


def _articles(count: int, copy: str) -> list[LoadedArticle]:
    return seed_size_articles(count, copy)


async def _gather_briefs(articles: list[Article], provider: OpenAICompatibleProvider, settings: Settings) -> list[object]:
    calls = (brief_article_async(article, provider=provider, settings=settings) for article in articles)
    return [result for result in await asyncio.gather(*calls, return_exceptions=True) if not isinstance(result, Exception)]


def _brief_run(url: str, count: int, workers: int, processes: int, latency: float, copy: str, engine: str) -> str:
    loaded = _articles(count, copy)
    provider = _provider(url, workers)
    settings = Settings(concurrency=workers, processes=processes)
    if engine == "ray":  # the actors build their providers from settings
        settings = Settings(provider="openai", model="fake", base_url=url, api_key="k", concurrency=workers, engine="ray")
        settings = replace(settings, ledger_path=None, brief_cache_dir=None)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu_started = time.monotonic(), time.process_time()
    context = RunContext(settings=settings, provider=None if engine == "ray" else provider)
    outcomes = list(iter_briefs(loaded, provider, context))
    wall, cpu = time.monotonic() - started, time.process_time() - cpu_started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    provider.close()
    done = sum(outcome.ok for outcome in outcomes)
    attempts = sum(o.brief.usage.attempts for o in outcomes if o.brief is not None)
    ideal = attempts * latency / workers
    floor = max((cpu + workers_cpu) / available_cores(), cpu)  # this process's share runs on one core at most
    return (
        f"{workers:>3} {processes:>2} {count:>5} {wall:>8.2f} {ideal:>8.2f} {100 * ideal / wall:>7.0f}%"
        f" {cpu / count * 1000:>9.1f} {workers_cpu / count * 1000:>9.1f} {floor:>9.2f}"
        f" {attempts / max(done, 1):>9.2f} {done:>5}/{count}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--concurrency", default="64")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--faults", type=float, default=0.0)
    parser.add_argument("--gather", action="store_true")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    options = parser.parse_args(argv)
    for noisy in ("summarizer", "instructor"):  # the retries are counted below; one log line each would flood the table
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    server = _ServerProcess(options.latency, options.faults)
    url = server.url
    print(f"{options.articles} seed-size articles, L = {options.latency:g} s, {available_cores()} cores")
    print(
        f"{'C':>3} {'P':>2} {'N':>5} {'wall s':>8} {'ideal s':>8} {'% ideal':>8} {'main ms':>9} {'pool ms':>9}"
        f" {'CPU min s':>9} {'req/art':>9} {'done':>11}"
    )
    analyse(_articles(1, " warm-up")[0].article)  # type: ignore[arg-type]  # load spaCy's pipeline before timing anything
    try:
        for workers in (int(c) for c in options.concurrency.split(",")):
            for processes in (int(p) for p in options.processes.split(",")):
                copy = f" C{workers} P{processes} {options.engine}"
                row = _brief_run(url, options.articles, workers, processes, options.latency, copy, options.engine)
                print(row, flush=True)
        if options.gather:
            print("\nasyncio.gather over brief_article_async, same endpoint:")
            for workers in (int(c) for c in options.concurrency.split(",")):
                count = options.articles
                articles = [item.article for item in _articles(count, f" gather {workers}") if item.article is not None]
                provider = _provider(url, workers)
                started = time.monotonic()
                done = len(asyncio.run(_gather_briefs(articles, provider, Settings(concurrency=workers))))
                wall = time.monotonic() - started
                ideal = count * options.latency / workers
                print(f"{workers:>3} {count:>5} {wall:>8.2f} {ideal:>8.2f} {100 * ideal / wall:>7.0f}% {done:>5}/{count}")
                provider.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main(sys.argv[1:]))
