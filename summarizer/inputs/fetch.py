"""Fetch a web page or feed over HTTP(S) within bounds: a deadline, a size limit, redirects, an address policy, a cache.

Every failure is an ``InputError`` naming the URL and saying what happened
(took longer than the deadline, HTTP 404, too large, cannot connect, an
internal address), so a bad page is one line in the briefing and never a lost
run. Redirects are followed here, hop by hop (at most ``MAX_REDIRECTS``), so
each hop is checked: only ``http(s)`` targets, and a link found in fetched
content, or a redirect to another host, reaches public addresses only (see
``addresses``) unless private ones are allowed. Successful answers are cached
on disk by URL (``page_cache``): a page is served from the cache for a day
(``CachePolicy``), a feed is asked again on every run; both are revalidated
with conditional requests (ETag, Last-Modified).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from summarizer.errors import InputError
from summarizer.inputs.addresses import checked_transport, refused_address
from summarizer.inputs.body import ACCEPT_ENCODING, Deadline, DeadlinePassed, decoded_body, too_large
from summarizer.inputs.fetched import FetchedPage, is_url
from summarizer.inputs.loaded import naming_source
from summarizer.inputs.page_cache import PAGE_CACHE_MAX_AGE, PAGE_CACHE_MAX_BYTES, PageCache
from summarizer.settings import PAGE_CACHE_TTL, Settings

__all__ = ["CachePolicy", "FetchedPage", "PageFetcher", "is_url"]

USER_AGENT = "summarizer/0.1 (news summarizer; +https://pypi.org/project/summarizer/)"
MAX_PAGE_BYTES = 10_000_000  # a news page with its markup is well under this
MAX_REDIRECTS = 5
FETCHES_PER_HOST = 4  # one host's pages fetched at once, so a slow host holds only its own
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
HEADERS = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}


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
    """Fetches pages with shared HTTP clients (thread-safe); ``cache_dir`` None keeps nothing on disk.

    ``timeout`` is the deadline of one whole fetch, redirects included;
    ``allow_private`` lets links found in content reach internal addresses.
    """

    @classmethod
    def for_settings(cls, settings: Settings) -> PageFetcher:
        """A fetcher with the settings' page cache, deadline and address policy."""
        return cls(
            settings.page_cache_dir,
            timeout=settings.fetch_timeout,
            policy=CachePolicy(ttl=settings.page_cache_ttl, refresh=settings.refresh),
            allow_private=settings.allow_private_addresses,
            cache_max_bytes=settings.page_cache_max_bytes,
            cache_max_age=settings.page_cache_max_age,
        )

    def __init__(
        self,
        cache_dir: Path | None = None,
        *,
        timeout: float = 20.0,
        max_bytes: int = MAX_PAGE_BYTES,
        policy: CachePolicy | None = None,
        allow_private: bool = False,
        cache_max_bytes: int = PAGE_CACHE_MAX_BYTES,
        cache_max_age: float = PAGE_CACHE_MAX_AGE,
    ) -> None:
        self.cache = PageCache(cache_dir, cache_max_bytes, cache_max_age) if cache_dir is not None else None
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.policy = policy or CachePolicy()
        self._open = _client(public_only=False)
        self._public = self._open if allow_private else _client(public_only=True)
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    @property
    def cache_dir(self) -> Path | None:
        """Where fetched answers are kept (None: nowhere)."""
        return self.cache.directory if self.cache is not None else None

    def close(self) -> None:
        """Close the HTTP clients and bring the page cache within its bounds."""
        self._open.close()
        self._public.close()
        if self.cache is not None:
            self.cache.prune()

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, *, found_in_content: bool = False) -> FetchedPage:
        """The page at ``url``: from the cache while fresh, revalidated when stale; ``InputError`` with the reason otherwise.

        ``found_in_content``: the address is a link read from a feed or page,
        not one the user named, so it may reach public addresses only.
        """
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise InputError(f"{url[:200]}: not an http(s) address")
        cached = None if self.policy.refresh or self.cache is None else self.cache.get(url)
        if cached is not None and self.policy.is_fresh(cached, time.time()):
            return cached
        with self._host_slot(parts.hostname or ""):
            page = self._download(url, cached, found_in_content)
        if self.cache is not None:
            self.cache.put(page)
        return page

    @contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        with self._hosts_lock:
            slots = self._hosts.setdefault(host.lower(), threading.BoundedSemaphore(FETCHES_PER_HOST))
        with slots:
            yield

    def _download(self, url: str, cached: FetchedPage | None, found_in_content: bool) -> FetchedPage:
        deadline = Deadline(self.timeout)
        try:
            return self._follow(url, cached, found_in_content, deadline)
        except InputError as exc:
            raise InputError(naming_source(url[:200], str(exc))) from None
        except DeadlinePassed:
            raise InputError(f"{url}: took longer than {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            if deadline.passed() or isinstance(exc, httpx.TimeoutException):
                raise InputError(f"{url}: took longer than {self.timeout:g} s") from None
            refused = refused_address(exc)
            if refused is not None:
                raise InputError(f"{url}: {refused}") from None
            raise InputError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
        except (httpx.InvalidURL, ValueError) as exc:  # an address httpx or IDNA refuses (UnicodeError is a ValueError)
            raise InputError(f"{url[:200]}: not an address that can be fetched ({type(exc).__name__}: {exc})") from None
        finally:
            deadline.stop()

    def _follow(self, url: str, cached: FetchedPage | None, found_in_content: bool, deadline: Deadline) -> FetchedPage:
        """Each hop checked: a named address's own host is fetched as given, any other host through the address policy."""
        named_host = None if found_in_content else httpx.URL(url).host
        conditions = _conditions(cached)
        request = self._open.build_request("GET", url, headers=conditions)
        for _hop in range(MAX_REDIRECTS + 1):
            client = self._open if request.url.host == named_host else self._public
            request.extensions["timeout"] = deadline.timeouts()
            response = client.send(request, stream=True)
            try:
                deadline.watch(response)
                if response.next_request is None:
                    return self._page(url, response, cached, bool(conditions), deadline)
                request = response.next_request
            finally:
                deadline.stop_watching()
                response.close()
        raise InputError(f"more than {MAX_REDIRECTS} redirects")

    def _page(
        self, url: str, response: httpx.Response, cached: FetchedPage | None, conditional: bool, deadline: Deadline
    ) -> FetchedPage:
        if response.status_code == 304 and cached is not None and conditional:
            return replace(cached, fetched_at=time.time())  # not modified: the cached body, confirmed
        if response.status_code >= 400:
            raise InputError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise InputError(too_large(int(declared), self.max_bytes))
        body = decoded_body(response.iter_raw(), response.headers.get("content-encoding", ""), self.max_bytes, deadline)
        return FetchedPage(
            url=url,
            final_url=str(response.url),
            content_type=response.headers.get("content-type", ""),
            body=body,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            fetched_at=time.time(),
        )


def _client(public_only: bool) -> httpx.Client:
    """An HTTP client following no redirect itself (``_follow`` does, hop by hop), refusing odd redirect targets,
    its connections through the address policy when ``public_only``.
    """
    return httpx.Client(
        headers=HEADERS,
        follow_redirects=False,
        event_hooks={"response": [_check_redirect_target]},
        transport=checked_transport(public_only=public_only),
    )


def _check_redirect_target(response: httpx.Response) -> None:
    """Refuse a redirect to anything but an http(s) address (``data:``, ``javascript:``, ``file:``), before httpx reads it."""
    if not response.is_redirect:
        return
    location = response.headers.get("location", "").strip()
    try:
        scheme = urlsplit(location).scheme.lower()
    except ValueError:
        raise InputError(f"redirected to {location[:100]!r}, which is not an address") from None
    if scheme and scheme not in ("http", "https"):
        raise InputError(f"redirected to a {scheme[:20]}: address, which is not fetched (only http and https)")


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
