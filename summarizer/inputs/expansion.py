"""From what the user named to the files and addresses to read: folders and globs expanded, each file once,
and article ids unique within a run.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer.files import content_hash, display_path
from summarizer.inputs.article import Article
from summarizer.inputs.feeds import FEED_SUFFIXES
from summarizer.inputs.fetched import is_url

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES


@dataclass(frozen=True)
class Unlisted:
    """An input that could not be expanded into files, and why."""

    source: str
    error: str


def directory_files(path: Path) -> list[Path] | Unlisted:
    """A folder's supported files, sorted, or why it cannot be listed."""
    try:
        return sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file())
    except OSError as exc:
        return Unlisted(display_path(path), f"{display_path(path)}: cannot list this directory ({exc.strerror or exc})")


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[str | Path | Unlisted]:
    """Expand directories (their supported files, sorted) and globs; an input that matches nothing is an error."""
    for item in inputs:
        text = str(item)
        path = Path(item)
        if is_url(text) or text == "-" or path.is_file():
            yield item
        elif path.is_dir():
            files = directory_files(path)
            if isinstance(files, Unlisted):
                yield files
            elif not files:
                shown = display_path(path)
                yield Unlisted(shown, f"{shown}: no article files ({', '.join(SUPPORTED_SUFFIXES)}) in this directory")
            else:
                yield from files
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
                yield Unlisted(display_path(text), f"{display_path(text)}: no files match this pattern")
            yield from matches
        else:
            yield item  # reported as missing when read


class UniqueIds:
    """Article ids of one run, each used once: a repeated id gets a short hash of its source appended.

    Two inputs named ``story`` in different folders (or ``story.txt`` beside
    ``story.md``) keep one output and one citation number each. The first
    keeps the plain id, so ids stay stable from run to run.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()

    def assign(self, article: Article, source: str) -> Article:
        """``article`` with an id not used before in the run (its own when free; else salted by ``source``)."""
        wanted = article.id
        unique = wanted
        salt = 0
        while unique.casefold() in self.used:  # casefold: some file systems ignore case
            salt += 1
            unique = f"{wanted}-{content_hash(f'{source}#{salt}', 8)}"
        self.used.add(unique.casefold())
        return article if unique == wanted else article.model_copy(update={"id": unique})


def _resolved(path: str | Path) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(path)


def each_once(items: Iterable[str | Path | Unlisted]) -> Iterator[str | Path | Unlisted]:
    """Each file or URL once, however many of the inputs (a folder and a glob, say) name it."""
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Unlisted) and str(item) != "-":
            key = str(item) if is_url(str(item)) else _resolved(item)
            if key in seen:
                continue
            seen.add(key)
        yield item
