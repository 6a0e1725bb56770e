"""The local model with several requests in flight: seconds per brief on the seeds at 1, 2 and 3 llama.cpp slots.

Usage: python bench/local_concurrency.py [SLOTS...]   (default: 1 2 3)

For each slot count S the model is loaded with S slots and the five seeds
are briefed with S requests in flight (no brief cache, no fixtures); the
wall time divided by the number of briefs is printed. Run it alone: it
uses both cores.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from summarizer.output.files import brief_files
from summarizer.providers.factory import build_provider
from summarizer.settings import Settings

SEEDS = sorted(Path("seeds").glob("*.txt"))


def main(argv: list[str]) -> int:
    counts = [int(arg) for arg in argv] or [1, 2, 3]
    print(f"{'slots':>5} {'briefs':>6} {'wall s':>8} {'s per brief':>12} {'output tok':>10}")
    for slots in counts:
        settings = dataclasses.replace(Settings.from_env(), provider="local", concurrency=slots, ledger_path=None)
        provider = build_provider(settings)
        try:
            started = time.monotonic()
            outcomes = list(brief_files(SEEDS, provider=provider, settings=settings))
            wall = time.monotonic() - started
        finally:
            provider.close()
        done = [o for o in outcomes if o.brief is not None]
        tokens = sum(o.brief.usage.completion_tokens for o in done if o.brief is not None)
        print(f"{slots:>5} {len(done):>6} {wall:>8.1f} {wall / max(len(done), 1):>12.1f} {tokens:>10}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
