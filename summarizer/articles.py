"""Read article files (or stdin) into ``Article`` objects with clear errors."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from summarizer.errors import InputError
from summarizer.schemas import Article

_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: looks like a binary file, not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{source}: cannot decode the text")  # pragma: no cover - latin-1 decodes anything


def article_from_text(text: str, *, source: str = "-", article_id: str | None = None, title: str | None = None) -> Article:
    """Build an ``Article``; the id defaults to a hash of the content."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError(f"{source}: the article is empty")
    if article_id is None:
        article_id = "sha-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Article(id=article_id, source=source, title=title, text=text)


def _id_from_path(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem) or "article"


def load_article(path: str | Path) -> Article:
    """Read one article from a file path, or from stdin when ``path`` is ``-``."""
    if str(path) == "-":
        return article_from_text(decode_text(sys.stdin.buffer.read(), "stdin"), source="-")
    file = Path(path)
    if not file.exists():
        raise InputError(f"{file}: no such file")
    if file.is_dir():
        raise InputError(f"{file}: is a directory")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror})") from None
    return article_from_text(decode_text(data, str(file)), source=str(file), article_id=_id_from_path(file))
