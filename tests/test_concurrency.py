"""Several requests in flight: results equal a serial run's, and one rate limit paces every worker."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from summarizer.brief.pipeline import build_brief_request
from summarizer.concurrency import ordered_map
from summarizer.output.files import brief_files
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.providers.pace import SharedPace
from summarizer.providers.policy import RequestPolicy
from summarizer.providers.replay import ReplayProvider
from summarizer.runs.many_inputs import synthesize_files
from summarizer.settings import Settings
from tests.conftest import FIXTURES, SEEDS
from tests.fake_openai import FakeOpenAIServer, completion, error
from tests.test_openai_provider import ARTICLE, GOOD


def test_ordered_map_keeps_input_order_with_several_in_flight() -> None:
    active, most = 0, 0
    lock = threading.Lock()

    def slow_square(n: int) -> int:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.05 * (5 - n % 5))  # later items finish first
        with lock:
            active -= 1
        return n * n

    started = time.monotonic()
    assert list(ordered_map(slow_square, range(10), workers=5)) == [n * n for n in range(10)]
    assert most == 5 and time.monotonic() - started < 0.05 * 30 / 2  # well under the serial time


def _briefs(concurrency: int) -> list[dict[str, object]]:
    outcomes = brief_files(SEEDS, provider=ReplayProvider(FIXTURES), settings=Settings(concurrency=concurrency))
    return [outcome.brief.model_dump() for outcome in outcomes if outcome.brief is not None]


def test_a_concurrent_run_equals_a_serial_run() -> None:
    serial, parallel = _briefs(1), _briefs(4)
    assert serial == parallel and len(serial) == 5
    one = synthesize_files(SEEDS, provider=ReplayProvider(FIXTURES), settings=Settings(concurrency=1))
    many = synthesize_files(SEEDS, provider=ReplayProvider(FIXTURES), settings=Settings(concurrency=4))
    assert one.synthesis is not None and many.synthesis is not None
    assert one.synthesis.model_dump() == many.synthesis.model_dump()


def test_a_429_holds_every_worker_and_halves_the_limit() -> None:
    pace = SharedPace(max_in_flight=4)
    pace.throttled(retry_after=0.3)
    assert pace.limit == 2
    entered: list[float] = []
    started = time.monotonic()

    def request() -> None:
        with pace.slot():
            entered.append(time.monotonic() - started)
            time.sleep(0.05)

    workers = [threading.Thread(target=request) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert min(entered) >= 0.29  # nobody went before the Retry-After time
    assert sorted(entered)[2] >= sorted(entered)[0] + 0.04  # two at a time: the halved limit
    for _ in range(20):
        pace.succeeded()
    assert pace.limit == 4  # recovered, additively, up to the maximum


def test_the_provider_tells_the_shared_pace_about_a_429() -> None:
    good = completion(json.dumps(GOOD))
    with FakeOpenAIServer([error(429, "slow down", {"retry-after": "0.2"}), good]) as server:
        provider = OpenAICompatibleProvider(
            model="m", base_url=server.base_url, api_key="k", policy=RequestPolicy(backoff_initial=0.01)
        )
        started = time.monotonic()
        provider.complete(build_brief_request(ARTICLE))
    assert provider.pace.throttles == 1 and time.monotonic() - started >= 0.2


def test_gathering_async_briefs_keeps_the_concurrency_setting_in_flight() -> None:
    import asyncio

    from summarizer import brief_article, brief_article_async
    from summarizer.inputs.loading import article_from_text
    from summarizer.testing import FunctionProvider

    lock = threading.Lock()
    in_flight = peak = 0
    together = threading.Barrier(12, timeout=10)  # passes only when 12 answers are being waited for at once

    def answer(request: object) -> dict[str, object]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        if not serial_phase:
            together.wait()
        with lock:
            in_flight -= 1
        return {"headline": "Budget approved", "summary": "The council approved the budget.", "key": [1], "quotes": []}

    articles = [
        article_from_text(f"The council of town {n} approved its budget on Monday.", article_id=f"a{n}") for n in range(36)
    ]
    provider = FunctionProvider(answer)
    settings = Settings(concurrency=12)

    async def gather_all() -> list[object]:
        return list(await asyncio.gather(*(brief_article_async(a, provider=provider, settings=settings) for a in articles)))

    serial_phase = False
    briefs = asyncio.run(gather_all())  # a BrokenBarrierError if fewer than 12 were ever in flight together
    assert peak == 12  # and never more than the setting
    serial_phase = True
    serial = [brief_article(a, provider=provider, settings=settings) for a in articles]
    assert [b.model_dump(exclude={"usage"}) for b in briefs] == [b.model_dump(exclude={"usage"}) for b in serial]  # type: ignore[attr-defined]


def test_stories_synthesized_at_once_equal_one_at_a_time(tmp_path: Path) -> None:
    from summarizer.runs.day import run_day
    from tests.conftest import mixed_day

    day = mixed_day(tmp_path)
    one = run_day([day], provider=ReplayProvider(FIXTURES), settings=Settings(concurrency=1))
    many = run_day([day], provider=ReplayProvider(FIXTURES), settings=Settings(concurrency=4))
    syntheses = [story.synthesis for story in one.stories if story.synthesis is not None]
    assert len(syntheses) == 2 and one.ok and many.ok
    assert [s.model_dump(exclude={"usage"}) for s in syntheses] == [
        story.synthesis.model_dump(exclude={"usage"}) for story in many.stories if story.synthesis is not None
    ]
