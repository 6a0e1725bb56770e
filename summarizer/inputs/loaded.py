"""``LoadedArticle``: what reading one input gave — an article, the error that stopped it, or why it was left out."""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.errors import InputError
from summarizer.inputs.article import Article
from summarizer.inputs.expansion import UniqueIds
from summarizer.inputs.window import DateWindow


def unexpected(exc: Exception) -> str:
    """One line for an error no check foresaw, naming its type (the input it is about is added by the caller)."""
    return f"cannot read it ({type(exc).__name__}: {str(exc)[:300]})"


def naming_source(source: str, message: str) -> str:
    """``message`` prefixed with the input it is about, unless it already names it."""
    return message if message.startswith(source) else f"{source}: {message}"


@dataclass(frozen=True)
class LoadedArticle:
    """One article read from an input, or the error that stopped it, or why it was left out.

    ``left_out`` is the reason: outside the dates asked for (``--since``/
    ``--until``), or, with ``entries_left_out`` set, the older entries of a
    feed beyond the number read from one feed (this one item stands for them).
    """

    source: str
    article: Article | None = None
    error: str | None = None
    left_out: str | None = None
    entries_left_out: int = 0

    @classmethod
    def failed(cls, source: str, problem: InputError | str) -> LoadedArticle:
        """The input ``source`` could not be read: one error line, naming it."""
        return cls(source=source, error=naming_source(source, str(problem)))

    @classmethod
    def feed_capped(cls, source: str, left_out: int, total: int, kept: int) -> LoadedArticle:
        """The older entries of the feed ``source`` that were not read: ``left_out`` of ``total``, ``kept`` read."""
        reason = (
            f"{left_out} older entr{'ies' if left_out != 1 else 'y'} of {total} not read: "
            f"a feed is read up to its newest {kept} (--feed-entries, SUMMARIZER_FEED_ENTRIES)"
        )
        return cls(source=source, left_out=reason, entries_left_out=left_out)

    def within(self, window: DateWindow | None) -> LoadedArticle:
        """The article, or why it is left out of ``window`` (errors and undated articles pass as they are)."""
        reason = window.outside(self.article.published) if window is not None and self.article is not None else None
        return self if reason is None else LoadedArticle(source=self.source, left_out=reason)

    def with_unique_id(self, ids: UniqueIds) -> LoadedArticle:
        """The article with an id not used before in the run."""
        if self.article is None:
            return self
        unique = ids.assign(self.article, self.source)
        return self if unique is self.article else LoadedArticle(source=self.source, article=unique)
