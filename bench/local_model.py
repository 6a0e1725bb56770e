"""Benchmark the embedded local model on article files: seconds, tokens, memory per brief.

Usage: python bench/local_model.py [--record] [FILES...]   (default: seeds/*.txt)

--record also writes each answer to the fixtures directory (SUMMARIZER_FIXTURES_DIR,
default fixtures/); this is how the seed fixtures are made.

One model load for the whole run, as the CLI does. Prints one row per
article (prompt tokens, and how many of them the server reused from its
cache), then the median seconds per brief and the process's peak memory
(the model runs in-process, so this includes llama.cpp).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from summarizer import brief_article
from summarizer.providers.base import Provider
from summarizer.providers.local import LocalProvider
from summarizer.providers.replay import RecordingProvider
from summarizer.settings import Settings


def main(argv: list[str]) -> int:
    record = "--record" in argv
    files = [Path(arg) for arg in argv if arg != "--record"] or sorted(Path("seeds").glob("*.txt"))
    settings = Settings.from_env()
    local = LocalProvider(model_dir=settings.model_dir, speculative=settings.speculative)
    started = time.monotonic()
    local.start()
    provider: Provider = RecordingProvider(local, settings.fixtures_dir) if record else local
    print(f"model load: {time.monotonic() - started:.1f} s", flush=True)
    rows = []
    print(
        f"{'article':<28} {'seconds':>8} {'prompt tok':>10} {'cached':>7} {'output tok':>10} {'attempts':>8} "
        f"{'reasks':>6} {'removed':>7}"
    )
    for path in files:
        started = time.monotonic()
        try:
            brief = brief_article(path, provider=provider, settings=settings)
        except Exception as exc:  # report and go on: a benchmark row, not a crash
            print(f"{path.stem[:28]:<28} FAILED: {exc}", flush=True)
            continue
        seconds = time.monotonic() - started
        usage = brief.usage
        rows.append((seconds, usage.prompt_tokens, usage.completion_tokens, usage.prompt_tokens - usage.cached_prompt_tokens))
        print(
            f"{path.stem[:28]:<28} {seconds:>8.1f} {usage.prompt_tokens:>10} {usage.cached_prompt_tokens:>7} "
            f"{usage.completion_tokens:>10} "
            f"{usage.attempts:>8} {usage.grounding_reasks:>6} {len(brief.removed):>7}",
            flush=True,
        )
    provider.close()
    if rows:
        print(f"briefs: {len(rows)}/{len(files)}")
        print(f"median seconds per brief: {statistics.median(r[0] for r in rows):.1f}")
        print(f"mean seconds per brief: {statistics.mean(r[0] for r in rows):.1f}")
        print(
            f"median prompt tokens: {statistics.median(r[1] for r in rows):.0f} "
            f"(evaluated, not from the cache: {statistics.median(r[3] for r in rows):.0f})"
        )
        print(f"median output tokens: {statistics.median(r[2] for r in rows):.0f}")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0 if len(rows) == len(files) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
