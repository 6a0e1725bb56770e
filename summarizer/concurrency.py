"""Running one function over many inputs with several in flight, results kept in input order."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


FIRST_ALONE_SECONDS = 5.0  # how long the first item runs alone before the others start
BUFFER_PER_WORKER = 32  # finished results held for in-order delivery while an earlier one is still running


def ordered_map(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    workers: int,
    *,
    again: Callable[[Result], bool] | None = None,
    first_alone: float = FIRST_ALONE_SECONDS,
) -> Iterator[Result]:
    """``function`` over ``items`` with ``workers`` calls in flight while any work is left; results in input order.

    Each result is yielded as soon as it and every one before it are done,
    so a caller writing outputs or showing progress does so in input order,
    exactly as a serial run would. A slow call holds its own worker only:
    the others keep taking items, their results wait (up to
    ``BUFFER_PER_WORKER`` per worker) until the slow one is done. The first
    item runs alone for up to ``first_alone`` seconds: a problem every item
    would hit (no model, an endpoint that refuses the key) then fails once
    instead of once per worker.

    ``again``: a result for which it is true (a transient failure) is not
    delivered yet; its item is run once more after every other item has
    started, and that second result is delivered in its place.

    An exception is raised in its place in input order; work not yet
    started is then cancelled. With one worker this is a serial loop (no
    thread), a second try right after the first.
    """
    if workers <= 1:
        yield from _serial_map(function, items, again)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="summarizer") as pool:
        yield from _InOrder(function, iter(items), workers, again, pool, first_alone).results()


def _serial_map(
    function: Callable[[Item], Result], items: Iterable[Item], again: Callable[[Result], bool] | None
) -> Iterator[Result]:
    """One at a time; a result ``again`` asks for is replaced by a second try at once (nothing else is waiting)."""
    for item in items:
        result = function(item)
        yield function(item) if again is not None and again(result) else result


class _InOrder(Generic[Item, Result]):
    """The bookkeeping of ``ordered_map`` with a pool: what is in flight, held for order, or waiting for its second try."""

    def __init__(
        self,
        function: Callable[[Item], Result],
        source: Iterator[Item],
        workers: int,
        again: Callable[[Result], bool] | None,
        pool: ThreadPoolExecutor,
        first_alone: float = FIRST_ALONE_SECONDS,
    ) -> None:
        self.function = function
        self.source = enumerate(source)
        self.workers = workers
        self.again = again
        self.pool = pool
        self.first_alone = first_alone
        self.in_flight: dict[Future[Result], tuple[int, Item, bool]] = {}  # future -> (index, item, is a second try)
        self.held: dict[int, Future[Result]] = {}
        self.second_tries: deque[tuple[int, Item]] = deque()
        self.source_done = False
        self.next_index = 0

    def _submit(self, index: int, item: Item, second: bool) -> None:
        self.in_flight[self.pool.submit(self.function, item)] = (index, item, second)

    def _fill(self) -> None:
        """Start items until ``workers`` are in flight: new items first, second tries once the input is used up."""
        while len(self.in_flight) < self.workers:
            room = len(self.held) < self.workers * BUFFER_PER_WORKER
            if not self.source_done and room:
                following = next(self.source, None)
                if following is not None:
                    self._submit(following[0], following[1], False)
                    continue
                self.source_done = True
            if self.second_tries and (self.source_done or not room):
                index, item = self.second_tries.popleft()
                self._submit(index, item, True)
                continue
            return

    def _settle(self, future: Future[Result]) -> None:
        index, item, second = self.in_flight.pop(future)
        if not second and self.again is not None and future.exception() is None and self.again(future.result()):
            self.second_tries.append((index, item))
        else:
            self.held[index] = future

    def results(self) -> Iterator[Result]:
        try:
            first = next(self.source, None)
            if first is None:
                return
            self._submit(first[0], first[1], False)
            if self.first_alone > 0:
                wait(list(self.in_flight), timeout=self.first_alone)
            while True:
                for future in [f for f in self.in_flight if f.done()]:
                    self._settle(future)
                while self.next_index in self.held:
                    yield self.held.pop(self.next_index).result()  # raises the call's exception in its place
                    self.next_index += 1
                self._fill()
                if not self.in_flight:
                    if self.held or self.second_tries:
                        continue
                    return
                wait(list(self.in_flight), return_when=FIRST_COMPLETED)
        finally:
            for future in self.in_flight:
                future.cancel()


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
