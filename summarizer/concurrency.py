"""Running one function over many inputs with several in flight, results kept in input order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

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
