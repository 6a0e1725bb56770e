"""``daily --batch``: a day of news through a provider's batch API, in stages, each call advancing what it can.

Each call: collects what finished batches answered; if batches are still
open, says so and stops; else runs the day with every answer collected so
far (``BatchResults``), which records each request that has none. Brief
requests with no answer go first, as one batch (stage "briefs"); once every
article is briefed, the stories' synthesis requests go as the next
(stage "syntheses"); when nothing is missing the briefing is written. A
cron job can run it until it says "done". The job's state is the batch
job's (``BatchJob``: resumable, nothing uploaded or paid twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from summarizer.brief.recipe import BRIEF_PROMPT_ID
from summarizer.output.briefing import DailyBriefing, daily_briefing
from summarizer.providers.batch_results import BatchResults
from summarizer.providers.factory import build_provider
from summarizer.providers.wrapper import unwrapped
from summarizer.runs.batch_api.jobs import BatchJob
from summarizer.runs.context import RunContext
from summarizer.runs.remember import record_day


@dataclass(frozen=True)
class DayProgress:
    """Where a batch day stands after one call: its stage, what was sent or is awaited, and the briefing when done."""

    stage: str  # "briefs", "syntheses", "waiting" or "done"
    message: str
    briefing: DailyBriefing | None = None


def advance_day(
    inputs: Sequence[str], context: RunContext, *, date: dt.date | None = None, title: str | None = None,
    template: Path | None = None,
) -> DayProgress:  # fmt: skip
    """Advance the batch day of ``inputs`` by one step (see the module); the briefing once every answer is in."""
    job = BatchJob(inputs, context)
    collected = job.collect()
    waiting = [file for file in job.files() if file.open]
    if waiting:
        shown = ", ".join(f"{file.batch_id} ({file.status})" for file in waiting)
        return DayProgress("waiting", f"{job.id}: waiting for {shown}; run again later")
    provider = build_provider(job.settings, batch_results=collected)
    # The story memory is read at every stage (a story with nothing new is not briefed) and records only the
    # finished day: that stage's briefing, under the memory's lock taken before any work.
    memory = job.context.memory
    staged = replace(memory, read_only=True) if memory is not None else None
    try:
        with memory.writing() if memory is not None else nullcontext():
            briefing = daily_briefing(
                list(inputs), replace(job.context, provider=provider, memory=staged), date=date, title=title, template=template
            )
            missing = unwrapped(provider, BatchResults).missing
            if not missing and memory is not None:
                record_day(memory, briefing.date, briefing.stories)
    finally:
        provider.close()
    briefs = [line for prompt, line in missing if prompt == BRIEF_PROMPT_ID]
    stage, lines = ("briefs", briefs) if briefs else ("syntheses", [line for _, line in missing])
    if lines:
        batch = job.submit_lines(lines)[-1].batch_id
        kind = "brief" if stage == "briefs" else "synthesis"
        return DayProgress(stage, f"{job.id}: {len(lines)} {kind} requests sent as batch {batch}; run again later")
    return DayProgress("done", f"{job.id}: every answer is in", briefing)
