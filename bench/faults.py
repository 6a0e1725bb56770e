"""Soak: seed-size articles through `summarizer brief` against a fake endpoint that fails a share of its requests.

Usage:
  python bench/faults.py                                  # 500 articles, C=32, 0.2 s answers, 30% faults of every kind
  python bench/faults.py --articles 100 --faults 0.1 --kinds stall --stall 30     # stalls only
  python bench/faults.py --articles 200 --faults 0.3 --kinds 429,503

An OpenAI-compatible server on loopback (in a child process, so its work
is not the pipeline's) answers every request after --latency seconds with a
valid brief, or, for --faults of the requests (drawn per request, seeded),
with one fault of --kinds: 429 (Retry-After 0.1 s), 500, 503, reset (the
connection closed without an answer), stall (--stall seconds, then a 500),
cutoff (an answer cut off at the token limit), malformed (not JSON). The
articles are the five seeds, each copied with a numbered first line so all
are distinct. `summarizer brief DIR -o OUT --provider openai --concurrency C
--no-cache -q` runs twice, with no faults and with them, each in a fresh
process, and the bench prints wall seconds, requests per article (counted by
the server), articles briefed, the exit code and the ratios.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from fake_endpoint import completion_body, send_json

ROOT = Path(__file__).resolve().parent.parent
SUMMARIZER = [sys.executable, "-m", "summarizer"]
KINDS = ("429", "500", "503", "reset", "stall", "cutoff", "malformed")
ANSWER = {
    "headline": "Officials meet over the peninsula",
    "summary": "Officials met to discuss the peninsula.",
    "key": [1],
    "quotes": [],
}


def _serve(latency: float, faults: float, kinds: list[str], stall: float, counter: Any) -> ThreadingHTTPServer:
    rng = random.Random(0)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            with lock:
                counter.value += 1
                fault = rng.choice(kinds) if rng.random() < faults else None
            time.sleep(stall if fault == "stall" else latency)
            if fault == "reset":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            status, extra, body = 200, {}, completion_body(json.dumps(ANSWER), prompt_tokens=600, output_tokens=60)
            if fault == "429":
                status, extra, body = 429, {"retry-after": "0.1"}, {"error": {"message": "slow down"}}
            elif fault in ("500", "stall"):
                status, body = 500, {"error": {"message": "internal error"}}
            elif fault == "503":
                status, body = 503, {"error": {"message": "busy"}}
            elif fault == "cutoff":
                body = completion_body(json.dumps(ANSWER)[:40], finish="length")
            elif fault == "malformed":
                body = completion_body("Sure! Here is the brief you asked for.")
            send_json(self, status, body, extra)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up on a stalled request (it was answered by a copy): expected

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


def _serve_forever(latency: float, faults: float, kinds: list[str], stall: float, counter: Any, sending: Connection) -> None:
    server = _serve(latency, faults, kinds, stall, counter)
    host, port = server.server_address[:2]
    sending.send(f"http://{host}:{port}/v1")
    server.serve_forever()


def _articles(folder: Path, count: int) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for number in range(count):
        text = seeds[number % len(seeds)].read_text(encoding="utf-8")
        (folder / f"a{number:05d}.txt").write_text(f"Dispatch {number} of the soak bench.\n\n{text}", encoding="utf-8")


def _run(folder: Path, options: argparse.Namespace, faults: float) -> dict[str, float]:
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    receiving, sending = context.Pipe(duplex=False)
    kinds = options.kinds.split(",")
    server = context.Process(
        target=_serve_forever, args=(options.latency, faults, kinds, options.stall, counter, sending), daemon=True
    )
    server.start()
    url = receiving.recv()
    out = Path(tempfile.mkdtemp())
    env = {**os.environ, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-soak", "SUMMARIZER_LEDGER": "off"}
    command = [*SUMMARIZER, "brief", str(folder), "-o", str(out), "--provider", "openai", "--no-cache", "-q"]
    command += ["--concurrency", str(options.concurrency)]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    server.terminate()
    server.join()
    briefed = len(list(out.glob("*.brief.json")))
    lost = [line for line in done.stderr.splitlines() if line.startswith("summarizer: error:")]
    for line in lost[:5]:
        print(f"    {line[:160]}")
    return {"wall": wall, "requests": counter.value / options.articles, "briefed": briefed, "exit": done.returncode}


def main() -> None:
    """Run the fault-free and the faulty run and print both."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--faults", type=float, default=0.3)
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--stall", type=float, default=5.0, help="seconds a stalled request waits before its 500")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _articles(folder, options.articles)
        print(f"{options.articles} articles, C={options.concurrency}, {options.latency} s answers; faults: {options.kinds}")
        print(f"{'run':<22} {'wall s':>8} {'requests/article':>17} {'briefed':>9} {'exit':>5}")
        rows = {}
        for label, faults in (("no faults", 0.0), (f"{options.faults:.0%} faults", options.faults)):
            row = _run(folder, options, faults)
            rows[label] = row
            briefed = f"{row['briefed']:.0f}/{options.articles}"
            print(f"{label:<22} {row['wall']:>8.1f} {row['requests']:>17.2f} {briefed:>9} {row['exit']:>5.0f}")
        clean, faulty = rows["no faults"], rows[f"{options.faults:.0%} faults"]
        print(
            f"faulty / fault-free: wall {faulty['wall'] / clean['wall']:.2f}x (+{faulty['wall'] - clean['wall']:.1f} s), "
            f"requests per article {faulty['requests'] / clean['requests']:.2f}x"
        )


if __name__ == "__main__":
    main()
