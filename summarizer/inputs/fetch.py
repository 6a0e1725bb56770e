"""Fetch a web page or feed over HTTP(S): timeouts, a size limit, redirects followed, a clear user agent, a disk cache.

Every failure is an ``InputError`` naming the URL and saying what happened
(timed out, HTTP 404, too large, cannot connect), so a bad page is one line
in the briefing and never a lost run. Successful answers are cached on disk
by URL, so a rerun does not fetch them again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from summarizer.errors import InputError
from summarizer.files import content_hash, write_atomic
from summarizer.settings import Settings

USER_AGENT = "summarizer/0.1 (news summarizer; +https://pypi.org/project/summarizer/)"
MAX_PAGE_BYTES = 10_000_000  # a news page with its markup is well under this
MAX_REDIRECTS = 5
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"


def is_url(text: str) -> bool:
    """True for an ``http://`` or ``https://`` address."""
    return text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchedPage:
    """One fetched answer: where it ended up (after redirects), its content type and bytes."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    from_cache: bool = False

    @property
    def charset(self) -> str | None:
        """The charset the server named in its content type, if any."""
        for part in self.content_type.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip("\"'")
        return None

    def text(self) -> str:
        """The body decoded with the charset the server named (else UTF-8, replacing bad bytes)."""
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    def markup(self) -> str | bytes:
        """The page for an HTML parser: text when the server named its charset, else the bytes (the page's
        own ``<meta charset>`` then decides).
        """
        return self.text() if self.charset else self.body


class PageFetcher:
    """Fetches pages with one shared HTTP client; ``cache_dir`` None keeps nothing on disk."""

    @classmethod
    def for_settings(cls, settings: Settings) -> PageFetcher:
        """A fetcher with the settings' page cache (``SUMMARIZER_PAGE_CACHE_DIR``) and timeout (``SUMMARIZER_FETCH_TIMEOUT``)."""
        return cls(settings.page_cache_dir, timeout=settings.fetch_timeout)

    def __init__(self, cache_dir: Path | None = None, *, timeout: float = 20.0, max_bytes: int = MAX_PAGE_BYTES) -> None:
        self.cache_dir = cache_dir
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str) -> FetchedPage:
        """The page at ``url``, from the cache when it was fetched before; ``InputError`` with the reason otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise InputError(f"{url}: not an http(s) address")
        cached = self._cached(url)
        if cached is not None:
            return cached
        page = self._download(url)
        self._store(page)
        return page

    def _download(self, url: str) -> FetchedPage:
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise InputError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise InputError(f"{url}: {self._too_large(int(declared))}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise InputError(f"{url}: {self._too_large(len(body), at_least=True)}")
                return FetchedPage(
                    url=url,
                    final_url=str(response.url),
                    content_type=response.headers.get("content-type", ""),
                    body=bytes(body),
                )
        except httpx.TimeoutException:
            raise InputError(f"{url}: timed out after {self.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
        except httpx.HTTPError as exc:
            raise InputError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None

    def _too_large(self, size: int, at_least: bool = False) -> str:
        return (
            f"{'more than ' if at_least else ''}{size / 1e6:.1f} MB is too large for a page (limit {self.max_bytes / 1e6:g} MB)"
        )

    def _paths(self, url: str) -> tuple[Path, Path] | None:
        if self.cache_dir is None:
            return None
        key = content_hash(url, 40)
        return self.cache_dir / f"{key}.json", self.cache_dir / f"{key}.body"

    def _cached(self, url: str) -> FetchedPage | None:
        paths = self._paths(url)
        if paths is None or not paths[0].is_file() or not paths[1].is_file():
            return None
        try:
            meta = json.loads(paths[0].read_text(encoding="utf-8"))
            body = paths[1].read_bytes()
        except (OSError, ValueError):
            return None  # a damaged entry is fetched again
        if meta.get("url") != url:
            return None
        return FetchedPage(url=url, final_url=meta["final_url"], content_type=meta["content_type"], body=body, from_cache=True)

    def _store(self, page: FetchedPage) -> None:
        paths = self._paths(page.url)
        if paths is None:
            return
        meta = {
            "url": page.url,
            "final_url": page.final_url,
            "content_type": page.content_type,
            "fetched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        try:
            write_atomic(paths[1], page.body)  # the body first: an entry without its meta is never read
            write_atomic(paths[0], json.dumps(meta))
        except OSError:
            pass  # a cache that cannot be written costs a refetch next time, nothing more
