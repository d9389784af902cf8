#!/usr/bin/env bash
# fuzz/run.sh SECONDS HARNESS...: runs each libFuzzer harness for SECONDS on
# a seed corpus gathered from content/ and tests/ (with fuzz/<name>.dict as
# its dictionary when there is one), and fails when one finds
# a crash, a leak or a time-out. What it finds is left in
# build/fuzz/artifacts/; keep it as a regression in tests/fuzz/<name>/.
set -u
cd "$(dirname "$0")/.." || exit 2
seconds=${1:?usage: fuzz/run.sh SECONDS HARNESS...}; shift
status=0
for bin in "$@"; do
    name=$(basename "$bin")
    corpus=build/fuzz/corpus/$name
    mkdir -p "$corpus" build/fuzz/artifacts
    fuzz/seeds.sh "$name" "$corpus"
    dict=()
    [ -f fuzz/"$name".dict ] && dict=(-dict=fuzz/"$name".dict)
    echo "== $name: ${seconds}s, $(ls "$corpus" | wc -l) seeds"
    if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix=build/fuzz/artifacts/"$name"- "$corpus" >build/fuzz/"$name".log 2>&1; then
        echo "FAIL fuzz $name: see build/fuzz/$name.log and build/fuzz/artifacts/"
        tail -30 build/fuzz/"$name".log
        status=1
    else
        grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' build/fuzz/"$name".log | tail -2
        echo "PASS fuzz $name"
    fi
done
exit $status
