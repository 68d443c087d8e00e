#!/usr/bin/env bash
# libFuzzer over every parser of untrusted input (Fuzz/SinkFuzz; docs/reliability.md, "Fuzzing").
#
#   scripts/fuzz.sh TARGET SECONDS   fuzz one target for SECONDS
#   scripts/fuzz.sh all SECONDS      every target in turn, SECONDS each
#   scripts/fuzz.sh ci               every target for 15 s (CI), then fails if any found something
#   scripts/fuzz.sh list             the targets
#
# Builds with -sanitize=fuzzer,address into .build-fuzz (its own scratch path: the normal build
# is untouched), in debug; FUZZ_CONFIGURATION=release doubles the executions per second for long
# runs at the price of a slower build. Each target starts from its committed seeds, Fuzz/Corpus/TARGET (never written
# to); what libFuzzer adds goes to .build-fuzz/corpus/TARGET and is kept between runs. A crash,
# an invariant failure, a leak or an input slower than 10 s is written to
# .build-fuzz/artifacts/TARGET/ and makes the script exit 1; reproduce it with
#   SINK_FUZZ_TARGET=TARGET .build-fuzz/debug/SinkFuzz FILE
# or, without sanitizers, `swift build --product SinkFuzz && .build/debug/SinkFuzz TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(json adapters runlog hookscript trajectory iso8601 endpoint environment response statusdetails spool)
scratch=.build-fuzz
configuration=${FUZZ_CONFIGURATION:-debug}
usage() {
  sed -n '3,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  list) printf '%s\n' "${targets[@]}"; exit 0 ;;
  ci) selected=("${targets[@]}"); seconds=15 ;;
  all) selected=("${targets[@]}"); seconds=${2:-} ;;
  "") usage ;;
  *)
    [[ " ${targets[*]} " == *" $1 "* ]] || { echo "unknown target $1 (scripts/fuzz.sh list)" >&2; exit 2; }
    selected=("$1"); seconds=${2:-}
    ;;
esac
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || usage

# The sanitizer runtimes break gold's symbol export (a warning per ASan helper): link with lld.
echo "building SinkFuzz with -sanitize=fuzzer,address in $scratch ..." >&2
mkdir -p "$scratch"
swift build -c "$configuration" --scratch-path "$scratch" --product SinkFuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld >"$scratch/build.log" 2>&1 || {
  cat "$scratch/build.log" >&2
  exit 1
}
fuzzer="$scratch/$configuration/SinkFuzz"

failed=()
summary=()
for target in "${selected[@]}"; do
  corpus="$scratch/corpus/$target"
  artifacts="$scratch/artifacts/$target"
  log="$scratch/logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  echo "fuzzing $target for ${seconds}s ..." >&2
  status=0
  # The Swift runtime's backtracer reads raw stack memory, which ASan reports as an underflow.
  SWIFT_BACKTRACE=enable=no SINK_FUZZ_TARGET=$target "$fuzzer" "$corpus" "Fuzz/Corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo "?")
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    summary+=("$(printf '%-14s %12s executions  cov %6s  FOUND SOMETHING: see %s and %s' \
      "$target" "$executions" "$coverage" "$log" "$artifacts")")
    grep -m 5 -E 'ERROR|invariant failed|Fatal error|Test unit written' "$log" >&2 || true
  else
    summary+=("$(printf '%-14s %12s executions  cov %6s  ok' "$target" "$executions" "$coverage")")
  fi
done
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
