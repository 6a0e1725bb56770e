"""Files and hashes shared by every stage: atomic writes, canonical JSON, content hashes."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(value: Any, length: int = 32) -> str:
    """The first ``length`` hex digits of the sha256 of ``value``'s canonical JSON (or of a string as is)."""
    text = value if isinstance(value, str) else canonical_json(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


TEMP_SUFFIX = ".tmp"


def display_path(path: str | Path) -> str:
    r"""``path`` as text that can always be printed or stored in JSON.

    A file name that is not valid UTF-8 reaches Python with surrogate
    escapes, which cannot be encoded; its undecodable bytes are shown as
    ``\xe9`` instead.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` so that readers see the old file or the new one, never a part.

    The temporary file is created with mode 0o666 and the kernel applies the
    umask, so the output gets the permissions any new file would
    (``mkstemp`` would make it readable by its owner only, and reading the
    umask means changing it for a moment, a race with other threads).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def writable_dir_problem(directory: Path) -> str | None:
    """Why files cannot be written into ``directory`` (created if missing), or None when they can."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".summarizer-probe-", suffix=TEMP_SUFFIX):
            pass
    except OSError as exc:
        return f"{display_path(directory)}: cannot write here ({exc.strerror or exc})"
    return None


def remove_stale_temp_files(directory: Path, older_than_seconds: float = 3600.0) -> int:
    """Delete temporary files an interrupted ``write_atomic`` left in ``directory``; returns how many."""
    removed = 0
    cutoff = time.time() - older_than_seconds
    try:
        candidates = list(directory.glob(f".*{TEMP_SUFFIX}"))
    except OSError:
        return 0
    for candidate in candidates:
        try:
            if candidate.stat().st_mtime < cutoff:
                candidate.unlink()
                removed += 1
        except OSError:
            continue
    return removed
