"""The six hostile-web cases of issue 37, each run as `summarizer daily` against loopback servers: exit code, wall
time, peak memory, whether the briefing was written and what it lists as not included.

Usage:
  python bench/hostile_web.py                     # this checkout
  python bench/hostile_web.py --code /tmp/before  # another checkout of the project (PYTHONPATH), same venv
  python bench/hostile_web.py --cases 1,4 --cap 120

A fake OpenAI-compatible endpoint answers every model request with a valid
answer (``summarizer.testing.lead_answer``), so the figures are the cost of
fetching and reading, not of a model. Each case runs in a fresh process under
``/usr/bin/time`` (peak resident memory) and is stopped after ``--cap``
seconds. Caches live in a fresh temporary folder.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fake_endpoint import completion_body, send_json  # noqa: E402
from summarizer.testing import lead_answer  # noqa: E402
from tests.web_server import drip_answer, redirect_answer  # noqa: E402  (the hostile answers the tests use)

ARTICLE = (ROOT / "tests/data/cnndm").glob("*.txt").__next__().read_text(encoding="utf-8")
Handler = Callable[[BaseHTTPRequestHandler], None]
RUN_CLI = "import sys; from summarizer.cli import app; sys.argv[0] = 'summarizer'; app()"  # older checkouts have no __main__


def page(title: str, text: str = ARTICLE) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return f"<html><head><title>{title}</title></head><body><article>{paragraphs}</article></body></html>".encode()


def feed(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Entry {n}</title><link>{link.replace('&', '&amp;')}</link><description>Teaser {n}.</description></item>"
        for n, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def static(body: bytes, content_type: str = "text/html; charset=utf-8", encoding: str | None = None) -> Handler:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        if encoding:
            handler.send_header("Content-Encoding", encoding)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


class Server:
    """A loopback server of handlers by path, counting requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Answer(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                server.hits[self.path] += 1
                route = server.routes.get(self.path)
                try:
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_POST(self) -> None:  # noqa: N802 - the fake model endpoint
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                send_json(self, 200, completion_body(json.dumps(lead_answer(body))))

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]  # a client that gave up
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.port = self.httpd.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def stacked_gzip(size: int) -> bytes:
    """``size`` zero bytes gzipped, then gzipped again."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * 16_000_000
    parts = [inner.compress(block) for _ in range(size // len(block))]
    return gzip.compress(b"".join(parts) + inner.flush(), 9)


def cases(server: Server) -> dict[str, tuple[str, list[str], dict[str, str]]]:
    """Case number -> (what it is, inputs, extra environment)."""
    r = server.routes
    r["/good-1.html"] = static(page("Good page one"))
    r["/good-2.html"] = static(page("Good page two", ARTICLE.replace("the", "a")))
    r["/to-data"] = redirect_answer("data:text/html,<p>hi</p>")
    r["/to-js"] = redirect_answer("javascript:alert(1)")
    r["/feed-1.xml"] = static(
        feed([server.url("/good-1.html"), server.url("/to-data"), server.url("/to-js"), "http://" + "a" * 300 + ".example/"]),
        "application/rss+xml",
    )
    r["/drip-2s.html"] = drip_answer(b"x", 2.0, 50)
    r["/drip-1kb.html"] = drip_answer(b"<p>" + b"y" * 1_017 + b"</p>", 1.0, 60)
    r["/one-paragraph.html"] = static(page("One paragraph", "The council met again today. " * 340_000))
    r["/one-word.html"] = static(page("One word", "z" * 9_800_000))
    r["/many-tags.html"] = static(page("<b>Rail</b> " * 50_000))
    r["/stacked.html"] = static(stacked_gzip(2_000_000_000), encoding="gzip, gzip")
    for n in range(20_000):
        r[f"/p/{n}.html"] = static(page(f"Page {n}", f"Story number {n} was reported today by the wire. " * 30))
    r["/feed-5.xml"] = static(feed([server.url(f"/p/{n}.html") for n in range(20_000)]), "application/rss+xml")
    r["/memo.html"] = static(page("Internal memo"))
    internal = [server.url("/memo.html", host) for host in ("localhost", "127.0.0.1", "2130706433", "[::1]")]
    r["/feed-6.xml"] = static(feed(internal), "application/rss+xml")
    allow = {"SUMMARIZER_ALLOW_PRIVATE_ADDRESSES": "1"}
    return {
        "1": ("a feed with links to data:, javascript: and a 300-character label", [server.url("/feed-1.xml")], allow),
        "2": (
            "1 byte / 2 s, then 1 KB/s, then a good page, timeout 5 s",
            [server.url("/drip-2s.html"), server.url("/drip-1kb.html"), server.url("/good-2.html")],
            {**allow, "SUMMARIZER_FETCH_TIMEOUT": "5"},
        ),
        "3a": ("a 9.9 MB page of one paragraph", [server.url("/one-paragraph.html")], allow),
        "3b": ("a 9.8 MB page of one word", [server.url("/one-word.html")], allow),
        "3c": ("a title of 50,000 tags", [server.url("/many-tags.html")], allow),
        "4": ("Content-Encoding: gzip, gzip, 2 GB inside", [server.url("/stacked.html"), server.url("/good-1.html")], allow),
        "5": ("a feed of 20,000 entries on one host", [server.url("/feed-5.xml")], allow),
        "6": ("feed links to localhost, 127.0.0.1, 2130706433, [::1] (no opt-in)", [server.url("/feed-6.xml")], {}),
    }


def run_case(number: str, inputs: list[str], extra: dict[str, str], code: Path, server: Server, cap: float) -> None:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "briefing.md"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("SUMMARIZER_", "OPENAI_"))} | {
            "PYTHONPATH": str(code),
            "OPENAI_BASE_URL": server.url("/v1"),
            "OPENAI_API_KEY": "sk-bench",
            "SUMMARIZER_PAGE_CACHE_DIR": f"{work}/pages",
            "SUMMARIZER_BRIEF_CACHE_DIR": f"{work}/briefs",
            "SUMMARIZER_LEDGER": f"{work}/runs.sqlite",
            **extra,
        }
        command = ["/usr/bin/time", "-f", "TIME %e %M", sys.executable, "-c", RUN_CLI, "daily", *inputs]
        command += ["--provider", "openai", "--model", "fake", "-o", str(out), "--no-cache", "--quiet"]
        hits_before = sum(server.hits.values())
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            _, stderr = process.communicate(timeout=cap)
            took, code_text = time.monotonic() - started, str(process.returncode)
        except subprocess.TimeoutExpired:
            high_water = _peak_of_children(process.pid)
            os.killpg(process.pid, signal.SIGKILL)  # the whole group: /usr/bin/time and the run under it
            _, stderr = process.communicate()
            took, code_text = cap, f"stopped at {cap:g} s"
            stderr += f"\nTIME {cap} {high_water}"
        measured = re.search(r"TIME ([\d.]+) (\d+)", stderr)
        peak = f"{int(measured.group(2)) / 1024:,.0f} MB" if measured else "-"
        briefing = out.read_text(encoding="utf-8") if out.exists() else ""
        not_included = briefing.split("## Not included", 1)[1].split("## Sources", 1)[0] if "## Not included" in briefing else ""
        lines = [line.strip()[:150] for line in not_included.splitlines() if line.strip().startswith("-")]
        traceback = stderr.count("Traceback")
        requests = sum(server.hits.values()) - hits_before
        print(f"case {number}: exit {code_text}, {took:.1f} s, peak {peak}, briefing {'written' if briefing else 'NOT written'}, "
              f"{requests} page requests, {traceback} tracebacks")  # fmt: skip
        title = re.search(r"^1\. <[^>]*> — (.*?) ·", briefing.split("## Sources", 1)[-1], re.MULTILINE)
        if title:
            print(f"  first source's title: {title.group(1)[:60]!r} ({len(title.group(1)):,} characters)")
        if "Internal memo" in briefing:
            print("  the internal page's content is in the briefing")
        for line in lines[:6]:
            print(f"  not included {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run (default: this one)")
    parser.add_argument("--cases", default="1,2,3a,3b,3c,4,5,6")
    parser.add_argument("--cap", type=float, default=120.0, help="seconds before a case is stopped")
    arguments = parser.parse_args()
    server = Server()
    table = cases(server)
    print(f"code: {arguments.code} (commit {_commit(arguments.code)}); cap {arguments.cap:g} s per case")
    for number in arguments.cases.split(","):
        what, inputs, extra = table[number]
        print(f"\n[{number}] {what}")
        run_case(number, inputs, extra, arguments.code, server, arguments.cap)


def _peak_of_children(pid: int) -> int:
    """The peak resident memory (KB) of the run under ``/usr/bin/time`` so far (0 when it cannot be read)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        status = Path(f"/proc/{children[0]}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    except (OSError, IndexError, AttributeError):
        return 0


def _commit(code: Path) -> str:
    done = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


if __name__ == "__main__":
    main()
