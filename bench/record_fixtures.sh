#!/bin/sh
# Re-record every fixture the tests replay, from the embedded local model.
# About 25 minutes on 2 cores. Run from the project root in the dev venv.
set -u
# Already-recorded requests are answered from their fixtures (so an interrupted run
# resumes); delete stale fixtures first, e.g. `rm -rf fixtures/synthesize fixtures/agree` after
# changing that prompt, or `rm -rf fixtures/*/` to record everything again.
export SUMMARIZER_PROVIDER=local
status=0
summarizer daily seeds/ -o /tmp/briefing-seeds.md --date 2026-11-22 --record --no-cache || status=1
# All ten M000 articles as one synthesis (the synthesis tests), then a mixed news day (issue 15's acceptance):
# the seeds, M000 and three unrelated CNN/DM articles, grouped into stories and synthesized story by story.
summarizer synthesize tests/data/M000/ -o /tmp/synthesis-M000.json --record --no-cache || status=1
day=$(mktemp -d)
cp seeds/*.txt tests/data/M000/*.txt tests/data/cnndm/*.txt "$day"/
summarizer daily "$day" -o /tmp/briefing-day.md --date 2026-11-22 --record --no-cache || status=1
rm -rf "$day"
# One article with the grounding re-ask on (it names "Elvis Presley"), so a real re-ask is replayed too.
SUMMARIZER_GROUNDING_REASKS=1 summarizer brief tests/data/injection.txt --record --no-cache > /tmp/injection.brief.json || status=1
python -m tests.long_article > /tmp/M000-all.txt
SUMMARIZER_CONTEXT_TOKENS=6144 summarizer brief /tmp/M000-all.txt --record --no-cache > /tmp/M000-all.brief.json || status=1
exit $status
