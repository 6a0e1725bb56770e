"""`summarizer daily FEED_URL` run twice around a feed change, with the feed server's request log.

Usage:
  python bench/rerun_feed.py                      # the embedded local model (real briefs; a few minutes)
  python bench/rerun_feed.py --provider replay    # any provider option is passed to `summarizer daily`

A loopback server publishes a feed of two teaser entries whose pages are real
CNN / Daily Mail articles (tests/data/cnndm), with ETags. `summarizer daily
FEED_URL` runs; then a third entry is added to the feed and the same command
runs again; then once more with the feed unchanged. The server prints every request (path, status, the conditional
headers it was sent), and the script prints each run's exit code, wall time
and what the briefing lists. Caches live in a fresh temporary folder, so the
first run starts cold.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "tests/data/cnndm").glob("*.txt"))
TITLES = ["What Ebola survivors face", "Turkish singer Kayahan dies at 66", "Manchester City apologise for late coaches"]


def _page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><head><title>{escape(title)}</title></head><body><article>{paragraphs}</article></body></html>".encode()


def _feed(base: str, entries: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{escape(title)}</title><link>{base}{path}</link><description>Read on.</description></item>"
        for title, path in entries
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>{items}</channel></rss>'.encode()


class Site:
    """Pages and a feed on loopback; every request is printed and kept."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str, str]] = {}  # path -> (body, content type, etag)
        self.log: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body, kind, etag = site.pages.get(self.path, (b"not here", "text/plain", ""))
                status = 200 if self.path in site.pages else 404
                sent = self.headers.get("If-None-Match")
                if etag and sent == etag:
                    status = 304
                site.log.append(f"GET {self.path} -> {status}" + (f" (If-None-Match: {sent})" if sent else ""))
                self.send_response(status)
                if status == 304:
                    self.end_headers()
                    return
                self.send_header("Content-Type", kind)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, entries: list[tuple[str, str]], version: int) -> None:
        self.pages["/world.rss"] = (_feed(self.base, entries), "application/rss+xml", f'"feed-v{version}"')


def _run(site: Site, output: Path, extra: list[str], env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "summarizer", "daily", f"{site.base}/world.rss", "-o", str(output), "-q", *extra]
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    markdown = output.read_text(encoding="utf-8") if output.exists() else ""
    header = next((line for line in markdown.splitlines() if line.startswith("*") and "article" in line), "(no briefing)")
    print(f"$ summarizer daily {site.base}/world.rss -o {output.name} {' '.join(extra)}".rstrip())
    print(f"  exit {result.returncode} in {seconds:.1f} s; briefing: {header}")
    for line in markdown.splitlines():
        if line.startswith(("1. **", "2. **", "3. **")) or line.startswith("- **"):
            print(f"  {line[:110]}")
    if result.stderr.strip():
        print("  stderr: " + result.stderr.strip().replace("\n", "\n          "))


def main() -> None:
    """Run daily twice around a feed change and print the server's request log."""
    extra = sys.argv[1:]
    site = Site()
    titles = []
    for number, (file, title) in enumerate(zip(ARTICLES, TITLES, strict=True), start=1):
        text = file.read_text(encoding="utf-8")
        titles.append((title, f"/story-{number}.html"))
        site.pages[f"/story-{number}.html"] = (_page(title, text), "text/html; charset=utf-8", f'"story-{number}"')
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SUMMARIZER_BRIEF_CACHE_DIR": f"{folder}/briefs",
            "SUMMARIZER_PAGE_CACHE_DIR": f"{folder}/pages",
            "SUMMARIZER_LEDGER": f"{folder}/runs.sqlite",
        }
        output = Path(folder) / "briefing.md"
        site.publish(titles[:2], 1)
        _run(site, output, extra, env)
        print("-- a third entry is added to the feed --")
        site.publish(titles[:3], 2)
        _run(site, output, extra, env)
        print("-- the feed unchanged --")
        _run(site, output, extra, env)
    print("\nServer request log:")
    for line in site.log:
        print(f"  {line}")
    site.server.shutdown()


if __name__ == "__main__":
    main()
