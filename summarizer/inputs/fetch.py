"""Fetch a web page or feed over HTTP(S): timeouts, a size limit, redirects followed, a clear user agent, a disk cache.

Every failure is an ``InputError`` naming the URL and saying what happened
(timed out, HTTP 404, too large, cannot connect), so a bad page is one line
in the briefing and never a lost run. Successful answers are cached on disk
by URL: a page is served from the cache for a day (``CachePolicy``), a feed
is asked again on every run; both are revalidated with conditional requests
(ETag, Last-Modified), so what has not changed costs a ``304``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from summarizer.errors import InputError
from summarizer.files import content_hash, write_atomic
from summarizer.inputs.encoding import DecodedText, decode_page
from summarizer.inputs.feeds import looks_like_feed
from summarizer.settings import PAGE_CACHE_TTL, Settings

USER_AGENT = "summarizer/0.1 (news summarizer; +https://pypi.org/project/summarizer/)"
MAX_PAGE_BYTES = 10_000_000  # a news page with its markup is well under this
MAX_REDIRECTS = 5
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"


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


@dataclass(frozen=True)
class CachePolicy:
    """How the page cache is used: pages are fresh for ``ttl`` seconds; feeds are always revalidated.

    ``refresh`` ignores what is cached (everything is fetched again, and
    stored). A stale entry with an ETag or Last-Modified is revalidated with a
    conditional request, so an unchanged page costs a ``304 Not Modified``.
    """

    ttl: float = PAGE_CACHE_TTL
    refresh: bool = False

    def is_fresh(self, page: FetchedPage, now: float) -> bool:
        """Whether a cached ``page`` may be served without asking the server (under ``refresh`` none is read at all)."""
        return not page.is_feed and now - page.fetched_at < self.ttl


class PageFetcher:
    """Fetches pages with one shared HTTP client; ``cache_dir`` None keeps nothing on disk."""

    @classmethod
    def for_settings(cls, settings: Settings) -> PageFetcher:
        """A fetcher with the settings' page cache (``SUMMARIZER_PAGE_CACHE_DIR``, ``_TTL``, ``--refresh``) and timeout."""
        policy = CachePolicy(ttl=settings.page_cache_ttl, refresh=settings.refresh)
        return cls(settings.page_cache_dir, timeout=settings.fetch_timeout, policy=policy)

    def __init__(
        self,
        cache_dir: Path | None = None,
        *,
        timeout: float = 20.0,
        max_bytes: int = MAX_PAGE_BYTES,
        policy: CachePolicy | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.policy = policy or CachePolicy()
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
        """The page at ``url``: from the cache while fresh, revalidated when stale; ``InputError`` with the reason otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise InputError(f"{url}: not an http(s) address")
        cached = None if self.policy.refresh else self._cached(url)
        if cached is not None and self.policy.is_fresh(cached, time.time()):
            return cached
        page = self._download(url, cached)
        self._store(page)
        return page

    def _download(self, url: str, cached: FetchedPage | None) -> FetchedPage:
        conditions = _conditions(cached)
        try:
            with self._client.stream("GET", url, headers=conditions) as response:
                if response.status_code == 304 and cached is not None and conditions:
                    return replace(cached, fetched_at=time.time())  # not modified: the cached body, confirmed
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
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    fetched_at=time.time(),
                )
        except httpx.TimeoutException:
            raise InputError(f"{url}: timed out after {self.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
        except httpx.HTTPError as exc:
            raise InputError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
        except (httpx.InvalidURL, ValueError) as exc:  # an address httpx or IDNA refuses (UnicodeError is a ValueError)
            raise InputError(f"{url[:200]}: not an address that can be fetched ({type(exc).__name__}: {exc})") from None

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
            if meta.get("url") != url:
                return None
            return FetchedPage(
                url=url,
                final_url=meta["final_url"],
                content_type=meta["content_type"],
                body=body,
                etag=meta.get("etag"),
                last_modified=meta.get("last_modified"),
                fetched_at=float(meta.get("fetched_at", 0.0)),  # entries of older versions: stale, so revalidated
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is fetched again

    def _store(self, page: FetchedPage) -> None:
        paths = self._paths(page.url)
        if paths is None:
            return
        meta = {
            "url": page.url,
            "final_url": page.final_url,
            "content_type": page.content_type,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "fetched_at": page.fetched_at,
        }
        try:
            write_atomic(paths[1], page.body)  # the body first: an entry without its meta is never read
            write_atomic(paths[0], json.dumps(meta))
        except OSError:
            pass  # a cache that cannot be written costs a refetch next time, nothing more


def _conditions(cached: FetchedPage | None) -> dict[str, str]:
    """The headers of a conditional request revalidating ``cached`` (none when it has no validators)."""
    if cached is None:
        return {}
    headers = {}
    if cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers
