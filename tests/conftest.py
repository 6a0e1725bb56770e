"""Shared test setup: no network beyond loopback, a clean environment, helpers."""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = ROOT / "fixtures"
# The command line as this interpreter runs it: found whether or not the venv's bin/ is on PATH.
SUMMARIZER = [sys.executable, "-m", "summarizer"]

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise ConnectionRefusedError(f"tests may not reach the network ({host})")
        except ValueError:  # a host name: only localhost is allowed
            if host != "localhost":
                raise ConnectionRefusedError(f"tests may not reach the network ({host})") from None
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def offline_and_clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Block non-loopback connections and drop configuration from the caller's environment."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    for name in list(os.environ):  # every setting the caller's shell may hold, whatever its name
        if name.startswith(("SUMMARIZER_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARIZER_FIXTURES_DIR", str(FIXTURES))
    monkeypatch.setenv("SUMMARIZER_BRIEF_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-brief-cache"))
    monkeypatch.setenv("SUMMARIZER_LEDGER", str(tmp_path.parent / f"{tmp_path.name}-runs.sqlite"))
    monkeypatch.setenv("SUMMARIZER_PAGE_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-page-cache"))
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path.parent / f"{tmp_path.name}-memory.sqlite"))


@pytest.fixture
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let links found in feeds reach the tests' web servers, which listen on loopback (the address policy's opt-in)."""
    monkeypatch.setenv("SUMMARIZER_ALLOW_PRIVATE_ADDRESSES", "1")


@pytest.fixture
def seed_paths() -> list[Path]:
    """The five seed articles."""
    assert len(SEEDS) == 5
    return SEEDS


def mixed_day(folder: Path) -> Path:
    """A news day in ``folder``/day: the seeds (one topic), the M000 cluster and three unrelated CNN/Daily Mail articles."""
    day = folder / "day"
    day.mkdir(parents=True)
    for source in (ROOT / "seeds", ROOT / "tests/data/M000", ROOT / "tests/data/cnndm"):
        for file in source.glob("*.txt"):
            shutil.copy(file, day / file.name)
    return day


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def outside_code_spans(markdown: str) -> str:
    """``markdown`` without its code spans (their content is shown as written, never rendered)."""
    return _CODE_SPAN.sub("", markdown)


def assert_inert(markdown: str, *, links: bool = False) -> None:
    """No raw HTML, no link syntax, no bare address a renderer would turn into a link (they belong in code spans).

    ``links`` allows autolinks of plain ``http(s)`` addresses (address fields such as a source's URL).
    """
    text = outside_code_spans(markdown)
    if links:
        text = re.sub(r"<https?://[^\s<>`]+>", "", text)
    lowered = text.lower()
    for active in ("<script", "<img", "<a ", "javascript:", "http://", "https://", "www."):
        assert active not in lowered, (active, markdown)
    assert not re.search(r"<[a-z/!?]", lowered), markdown  # no raw HTML, no autolink
    assert not re.search(r"(?<!\\)\]\(", text), markdown  # "[text](url)" only with its brackets escaped: no link
