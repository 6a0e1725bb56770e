"""``FetchedPage``: one answer of a web server (or the page cache), with what is needed to read and revalidate it."""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.inputs.encoding import DecodedText, decode_page
from summarizer.inputs.feeds import looks_like_feed


def is_url(text: str) -> bool:
    """True for an ``http://`` or ``https://`` address."""
    return text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchedPage:
    """One fetched answer: where it ended up (after redirects), its content type, bytes and cache validators."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: float = 0.0  # seconds since the epoch when the server last sent or confirmed it

    @property
    def charset(self) -> str | None:
        """The charset the server named in its content type, if any."""
        for part in self.content_type.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip("\"'")
        return None

    @property
    def media_type(self) -> str:
        """The content type without parameters, lower case (``text/html``)."""
        return self.content_type.split(";")[0].strip().lower()

    @property
    def is_feed(self) -> bool:
        """True when the answer is an RSS or Atom document."""
        return looks_like_feed(self.body, self.content_type)

    def decoded(self) -> DecodedText:
        """The body as text: the declared charset when the bytes agree, else what the bytes say (with a note)."""
        return decode_page(self.body, self.charset)
