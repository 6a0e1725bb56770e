"""Faults at load: no head-of-line blocking, a second pass for transient failures, a pace that recovers, a quiet terminal."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from summarizer import RunContext, Settings, brief_files
from summarizer.concurrency import ordered_map
from summarizer.errors import ProviderError
from summarizer.providers.base import ModelRequest
from summarizer.providers.pace import SharedPace
from summarizer.testing import FunctionProvider
from tests.conftest import SEEDS, SUMMARIZER
from tests.test_news_day import ANY_ARTICLE, CHESS, LIBRARY, RAIL


def test_a_slow_item_holds_only_its_own_worker() -> None:
    release = threading.Event()
    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            started.append(n)
        if n == 1:
            release.wait(10)  # item 1 stalls until every other item has started
        return n

    results: list[int] = []
    consumer = threading.Thread(target=lambda: results.extend(ordered_map(work, range(12), workers=3)))
    consumer.start()
    deadline = time.monotonic() + 5
    while len(started) < 12 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(started) == list(range(12))  # the other two workers went through items 2..11 meanwhile
    assert results == [0]  # item 1 is not done: nothing after it is delivered yet
    release.set()
    consumer.join(5)
    assert results == list(range(12))  # in input order


def test_a_transient_failure_gets_a_second_pass_after_the_rest_and_a_permanent_one_does_not(tmp_path: Path) -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def answer(request: ModelRequest[Any]) -> dict[str, Any]:
        with lock:
            calls.append(request.subject)
            attempt = calls.count(request.subject)
        if request.subject == "rail" and attempt == 1:
            error = ProviderError("HTTP 503 from the endpoint: busy (after 4 attempts)")
            error.transient = True
            raise error
        if request.subject == "chess":
            raise ProviderError("HTTP 400 from the endpoint: bad request (after 1 attempts)")  # permanent
        return ANY_ARTICLE

    texts = {"rail": RAIL, "chess": CHESS, "library": LIBRARY, **{f"copy{n}": f"{LIBRARY} Copy {n}." for n in range(6)}}
    files = []
    for name, text in texts.items():
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(text, encoding="utf-8")
    context = RunContext(settings=Settings(concurrency=3), provider=FunctionProvider(answer))
    outcomes = list(brief_files(files, context))
    assert [outcome.source.split("/")[-1] for outcome in outcomes] == [file.name for file in files]  # input order
    by_name = {outcome.source.split("/")[-1][:-4]: outcome for outcome in outcomes}
    assert by_name["rail"].ok and calls.count("rail") == 2  # briefed on its second pass
    # Its second try starts once every other article has started and a worker is free: with three workers, after
    # all but the last three have made their requests.
    assert calls.index("rail", calls.index("rail") + 1) > max(calls.index(f"copy{n}") for n in range(3))
    assert not by_name["chess"].ok and calls.count("chess") == 1 and "HTTP 400" in (by_name["chess"].error or "")


def test_a_burst_of_429s_halves_the_limit_once_and_it_climbs_back_within_seconds() -> None:
    pace = SharedPace(max_in_flight=32)
    sent = []
    for _ in range(32):  # 32 requests in flight ...
        with pace.slot() as at:
            sent.append(at)
    for at in sent:  # ... all answered 429 together
        pace.throttled(retry_after=0.0, sent_at=at)
    assert pace.limit == 16 and pace.throttles == 32
    with pace.slot() as after:
        pass
    pace.throttled(retry_after=0.0, sent_at=after)  # a request sent after the decrease: the load is still too high
    assert pace.limit == 8
    latency, now, successes = 0.2, 0.0, 0
    while pace.limit < 32:  # recovery: each round trip, as many successes as the limit allows
        for _ in range(int(pace.limit)):
            pace.succeeded()
            successes += 1
        now += latency
    assert now < 10, now  # seconds of 0.2 s answers to climb back from 8 to 32
    assert successes < 32 * 16


def test_the_terminal_shows_only_the_tools_own_lines(tmp_path: Path) -> None:
    out = tmp_path / "briefing.md"
    command = [*SUMMARIZER, "daily", *map(str, SEEDS), "-o", str(out), "--provider", "replay", "--no-cache"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("summarizer: ") for line in lines), done.stderr
    verbose = subprocess.run([*command, "--verbose"], capture_output=True, text=True, check=False)
    assert verbose.returncode == 0 and out.read_text(encoding="utf-8")
    assert all(line.startswith("summarizer: ") for line in verbose.stderr.splitlines())


@pytest.mark.parametrize("stall_first", [True, False])
def test_a_setup_error_of_the_first_item_still_fails_once(stall_first: bool) -> None:
    calls: list[int] = []

    def work(n: int) -> int:
        calls.append(n)
        if n == 0:
            if stall_first:
                time.sleep(0.2)
            raise json.JSONDecodeError("no endpoint", "", 0)
        return n

    with pytest.raises(json.JSONDecodeError):
        list(ordered_map(work, range(20), workers=4))
    assert calls == [0]  # the first ran alone (within its grace time), so nothing else was started


@contextmanager
def _after_usual_answers(stall_seconds: float) -> Iterator[tuple[Any, Any, Any]]:
    """A fake endpoint that gave eight usual answers (they time what "usual" is), then stalls one and answers the next
    at once: its server, the provider that asked, and the request.
    """
    from summarizer.brief.pipeline import build_brief_request
    from summarizer.providers.openai_compat import OpenAICompatibleProvider
    from summarizer.providers.policy import RequestPolicy
    from tests.fake_openai import FakeOpenAIServer, completion, slow
    from tests.test_openai_provider import ARTICLE, GOOD

    usual = [completion(json.dumps(GOOD)) for _ in range(8)]
    request = build_brief_request(ARTICLE)
    with FakeOpenAIServer([*usual, slow(completion(json.dumps(GOOD)), stall_seconds), completion(json.dumps(GOOD))]) as server:
        provider = OpenAICompatibleProvider(model="m", base_url=server.base_url, api_key="k", policy=RequestPolicy())
        for _ in usual:
            provider.complete(request)
        try:
            yield server, provider, request
        finally:
            provider.close()


def test_a_stalled_request_is_answered_by_a_copy_and_the_copy_counts_as_an_attempt() -> None:
    from summarizer.providers.openai_compat import OpenAICompatibleProvider
    from summarizer.providers.policy import RequestPolicy

    with _after_usual_answers(20) as (server, provider, request):
        started = time.monotonic()
        result = provider.complete(request)  # its first copy stalls 20 s; a second copy goes out after a second
        took = time.monotonic() - started
    assert took < 5, took
    assert result.usage.attempts == 2 and len(server.requests) == 10
    # The stalled copy is billed too: its prompt is counted (the winner's 100 tokens as its estimate; no answer yet).
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (200, 20)
    unhedged = OpenAICompatibleProvider(model="m", base_url="http://127.0.0.1:9/v1", policy=RequestPolicy.local())
    assert unhedged._hedger is None  # the embedded model's policy: a copy would only queue behind the request


def test_a_budget_with_no_room_for_a_copy_keeps_the_copy_from_being_sent() -> None:
    from summarizer.providers.budget_guard import BudgetProvider

    with _after_usual_answers(3) as (server, inner, request):
        one_answer = BudgetProvider(inner, {}, max_tokens=10**9)._worst_case(request)
        budget = BudgetProvider(inner, {}, max_tokens=sum(one_answer) + 1)  # room for the request, not for a copy
        result = budget.complete(request)
    assert result.usage.attempts == 1 and len(server.requests) == 9  # waited for the stalled answer instead
