#!/bin/bash
# Every CLI output for the seeds and test data, replayed from fixtures, into OUTDIR.
# Compare two checkouts byte for byte: sh bench/replay_outputs.sh /tmp/a; (other checkout) ...; diff -r /tmp/a /tmp/b
set -u
out=$1; rm -rf $out; mkdir -p $out
export SUMMARIZER_BRIEF_CACHE_DIR=$(mktemp -d)
export SUMMARIZER_FIXTURES_DIR=$PWD/fixtures
P="--provider replay"
summarizer brief seeds/ -o $out/briefs-json $P --no-cache -q 2> $out/brief.err; echo "brief rc=$?" >> $out/rc
summarizer brief seeds/ -o $out/briefs-md -f markdown $P --no-cache -q 2>> $out/brief.err; echo "briefmd rc=$?" >> $out/rc
summarizer brief seeds/000_d66cafd3537eaf3b.txt $P --no-cache > $out/one.json 2>>$out/brief.err; echo "one rc=$?" >> $out/rc
summarizer daily seeds/ -o $out/daily.md --date 2026-11-22 $P --no-cache -q 2> $out/daily.err; echo "daily rc=$?" >> $out/rc
summarizer synthesize seeds/ $P --no-cache -q > $out/synth.json 2> $out/synth.err; echo "synth rc=$?" >> $out/rc
summarizer synthesize seeds/ -f markdown $P --no-cache -q > $out/synth.md 2>> $out/synth.err; echo "synthmd rc=$?" >> $out/rc
summarizer daily tests/data/M000 -o $out/m000.md --date 2026-11-22 $P --no-cache -q 2> $out/m000.err; echo "m000 rc=$?" >> $out/rc
summarizer brief tests/data/injection.txt $P --no-cache > $out/inj.json 2>>$out/brief.err; echo "inj rc=$?" >> $out/rc
summarizer check $out/one.json seeds/000_d66cafd3537eaf3b.txt > $out/check.txt 2>&1; echo "check rc=$?" >> $out/rc
summarizer prompts list > $out/prompts.txt
day=$(mktemp -d); cp seeds/*.txt tests/data/M000/*.txt tests/data/cnndm/*.txt $day/
summarizer daily $day -o $out/mixed.md --date 2026-11-22 $P --no-cache -q 2> $out/mixed.err; echo "mixed rc=$?" >> $out/rc
summarizer stories $day > $out/stories.md 2> $out/stories.err; echo "stories rc=$?" >> $out/rc
summarizer stories $day -f json > $out/stories.json 2>> $out/stories.err; echo "storiesjson rc=$?" >> $out/rc
summarizer daily $day --dry-run $P > $out/dry.txt 2>&1; echo "dry rc=$?" >> $out/rc
summarizer daily $day --dry-run --story-threshold 0.6 $P > $out/dry-strict.txt 2>&1; echo "drystrict rc=$?" >> $out/rc
sed -i "s#$day#DAY#g" $out/*.md $out/*.json $out/*.err $out/*.txt
rm -rf $day
