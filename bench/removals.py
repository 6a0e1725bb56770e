"""What the daily briefing removes, drops or keeps unverified, counted from its audit (replayed answers).

Usage:
  python bench/removals.py seeds/ ../shared/eval/multiling/M000            # this checkout
  python bench/removals.py seeds/ --code /tmp/older-checkout                 # another checkout, same environment

For each input (a folder of articles), `summarizer daily INPUT --provider
replay` runs with the recorded answers in fixtures/ and no brief cache, from
a temporary folder (so ``--code`` is what Python imports), and the audit's
lines are counted: headlines and summary sentences removed, sentences kept
but unverified, overview sentences and agreements dropped. Then the lines
themselves, so each count can be read.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_CLI = "import sys; from summarizer.cli import app; sys.argv[0] = 'summarizer'; app()"
KINDS = ("removed headline", "removed summary", "unverified headline", "unverified summary", "unverified overview",
         "dropped overview", "dropped agreements", "dropped themes")  # fmt: skip


def audit_of(folder: Path, code: Path) -> str:
    """The audit section of the replayed daily briefing of the articles in ``folder``."""
    with tempfile.TemporaryDirectory() as work:
        articles = Path(work) / "articles"
        articles.mkdir()
        for path in sorted(folder.glob("*.txt")):  # only the articles (a folder may hold references.jsonl too)
            (articles / path.name).write_bytes(path.read_bytes())
        out = Path(work) / "briefing.md"
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("SUMMARIZER_", "OPENAI_"))}
        environment |= {"PYTHONPATH": str(code), "SUMMARIZER_BRIEF_CACHE_DIR": "off", "SUMMARIZER_LEDGER": "off",
                        "SUMMARIZER_FIXTURES_DIR": str(ROOT / "fixtures")}  # fmt: skip
        command = [sys.executable, "-c", RUN_CLI, "daily", str(articles), "--provider", "replay", "-o", str(out)]
        done = subprocess.run([*command, "--date", "2026-12-06", "-q"], cwd=work, env=environment, capture_output=True, text=True)
        if not out.exists():
            raise SystemExit(f"{folder}: no briefing (exit {done.returncode}): {done.stderr[-500:]}")
        return out.read_text(encoding="utf-8").split("## Audit", 1)[-1]


def main() -> None:
    """Print the counts and lines for each input."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run (default: this one)")
    arguments = parser.parse_args()
    for folder in arguments.inputs:
        audit = audit_of(folder.resolve(), arguments.code.resolve())
        counts = ", ".join(f"{kind} {audit.count(kind)}" for kind in KINDS)
        print(f"{folder}: {counts}")
        for kind in KINDS:
            for line in re.findall(re.escape(kind) + r' "[^"]*" \([^)]*\)', audit):
                print(f"  {line[:200]}")


if __name__ == "__main__":
    main()
