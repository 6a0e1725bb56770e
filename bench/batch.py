"""Batch files at scale: N synthetic articles through `batch export`, a fake `vllm run-batch`, and `batch import`.

Usage: python bench/batch.py [--articles N [N ...]]      # default 1000 10000

For each N: N synthetic three-sentence articles (each distinct) are
written as JSONL files of 1,000 articles; then each stage runs as its own
process, as a user would run it: ``summarizer batch export DIR -o
requests.jsonl``, a fake ``vllm run-batch`` (``summarizer.testing.fake_run_batch``:
one valid answer per request, streamed), and ``summarizer batch import
results.jsonl DIR -o OUT``. Printed per stage: wall seconds, the process's
peak resident memory (ru_maxrss), and the files written. Memory that does
not grow with N is the streaming promise (the import keeps an index of
result ids, about 100 bytes a request).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWNS = ["Harbour", "Millbrook", "Eastfield", "Norwood", "Kingsbay", "Ashford", "Riverton", "Lakeside"]


def write_articles(folder: Path, count: int) -> None:
    """``count`` distinct short articles as JSONL files of 1,000."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, 1000):
        with (folder / f"part-{start // 1000:05d}.jsonl").open("w", encoding="utf-8") as file:
            for n in range(start, min(start + 1000, count)):
                town = TOWNS[n % len(TOWNS)]
                text = (
                    f"The council of {town} approved budget number {n} on Monday. "
                    f"Spending on roads rises by {n % 9 + 1} percent, the mayor said. "
                    f"Residents will vote on the plan in March."
                )
                file.write(json.dumps({"id": f"a{n}", "title": f"{town} budget {n}", "text": text}) + "\n")


def _stage(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run one stage as a child process, its stderr to ``log`` (a pipe would fill): (wall seconds, peak memory in MB)."""
    started = time.monotonic()
    with log.open("w") as errors:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, usage = os.wait4(process.pid, 0)[1:]
    wall = time.monotonic() - started
    failed = [line for line in log.read_text().splitlines() if "error" in line]
    if failed:
        print(f"    {len(failed)} error lines, first: {failed[0][:160]}")
    return wall, usage.ru_maxrss / 1024


FAKE_RUN_BATCH = (  # every requests file of the export (it splits at 50,000), results appended to one file
    "import sys; from pathlib import Path; from summarizer.testing import fake_run_batch, lead_answer; "
    "out = Path(sys.argv[2]); parts = sorted(Path(sys.argv[1]).parent.glob(Path(sys.argv[1]).stem + '*.jsonl')); "
    "[fake_run_batch(p, out.with_name(out.stem + f'-{n}.jsonl'), lead_answer) for n, p in enumerate(parts)]; "
    "out.write_bytes(b''.join(out.with_name(out.stem + f'-{n}.jsonl').read_bytes() for n in range(len(parts))))"
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    options = parser.parse_args(argv)
    summarizer = [sys.executable, "-m", "summarizer"]
    print(f"{'N':>7} {'stage':<8} {'wall s':>8} {'peak MB':>8}  files")
    for count in options.articles:
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            env = {**os.environ, "SUMMARIZER_BRIEF_CACHE_DIR": str(work / "cache"), "SUMMARIZER_LEDGER": "off"}
            write_articles(work / "in", count)
            requests, results, out = work / "requests.jsonl", work / "results.jsonl", work / "out"
            stages = [
                ("export", [*summarizer, "batch", "export", str(work / "in"), "-o", str(requests)]),
                ("run", [sys.executable, "-c", FAKE_RUN_BATCH, str(requests), str(results)]),
                ("import", [*summarizer, "batch", "import", str(results), str(work / "in"), "-o", str(out), "-q"]),
            ]
            for name, command in stages:
                wall, peak = _stage(command, env, work / f"{name}.log")
                if name == "export":
                    files = sorted(p.name for p in work.glob("requests*.jsonl"))
                    shown = f"{len(files)} file(s), {sum(1 for f in files for _ in (work / f).open())} requests"
                elif name == "run":
                    shown = f"{sum(1 for _ in results.open())} results"
                else:
                    shown = f"{sum(1 for _ in out.iterdir()) if out.is_dir() else 0} briefs"
                print(f"{count:>7} {name:<8} {wall:>8.1f} {peak:>8.0f}  {shown}", flush=True)
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
