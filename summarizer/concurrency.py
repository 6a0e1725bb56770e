"""Running one function over many inputs with several in flight, results kept in input order."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(function: Callable[[Item], Result], items: Iterable[Item], workers: int) -> Iterator[Result]:
    """``function`` over ``items`` with at most ``workers`` calls at once; results in input order.

    Each result is yielded as soon as it and every one before it are done,
    so a caller writing outputs or showing progress does so in input order,
    exactly as a serial run would. The first item runs alone: a problem
    every item would hit (no model, an endpoint that cannot be reached)
    then fails once instead of once per worker. An exception is raised in
    its place in that order; work not yet started is then cancelled. With
    one worker this is a plain serial loop (no thread).
    """
    source = iter(items)
    first = next(source, _DONE)
    if first is _DONE:
        return
    yield function(first)  # type: ignore[arg-type]
    if workers <= 1:
        yield from map(function, source)
        return
    pending: deque[Future[Result]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="summarizer") as pool:
        try:
            for item in source:
                pending.append(pool.submit(function, item))
                if len(pending) >= workers:
                    break
            while pending:
                result = pending.popleft().result()
                following = next(source, _DONE)
                if following is not _DONE:
                    pending.append(pool.submit(function, following))  # type: ignore[arg-type]
                yield result
        finally:
            for future in pending:
                future.cancel()


_DONE = object()
_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(workers: int) -> ThreadPoolExecutor:
    """One process-wide pool per size, made on first use: every async call with that concurrency shares it."""
    with _POOLS_LOCK:
        if workers not in _POOLS:
            _POOLS[workers] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"summarizer-async{workers}")
        return _POOLS[workers]


async def run_shared(workers: int, function: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """Await ``function(*args, **kwargs)`` run in the shared pool of ``workers`` threads.

    ``asyncio.to_thread`` uses the loop's default pool (on 2 cores, 6
    threads), so ``asyncio.gather`` over many calls had 6 in flight whatever
    the concurrency setting; here it has ``workers``.
    """
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(shared_pool(workers), functools.partial(function, *args, **kwargs))
