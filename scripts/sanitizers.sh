#!/usr/bin/env bash
# The whole suite under ThreadSanitizer and/or AddressSanitizer (with LeakSanitizer); fails on any
# report, not only on a failing test. Usage: scripts/sanitizers.sh [tsan|asan|all] [swift test options]
# (default: all; e.g. `scripts/sanitizers.sh tsan --filter LifecycleTests` for one suite).
#
# Each sanitizer builds into its own scratch path (.build-tsan, .build-asan), so the normal .build
# stays as it is. The one child the suite runs that is a Swift binary (rlm-otel-replay, for the
# at-exit test) is built with the same sanitizer and gets the same options; the Python receivers
# and openssl are not instrumented and are not checked.
set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
shift || true
case "$which" in
  tsan | asan | all) ;;
  *)
    echo "usage: $0 [tsan|asan|all]" >&2
    exit 2
    ;;
esac

if [ -x scripts/setup-python-env.sh ]; then
  scripts/setup-python-env.sh >&2
fi

# Children whose environment a test replaces have no PATH: name the symbolizer explicitly.
symbolizer="$(dirname "$(readlink -f "$(command -v swift)")")/llvm-symbolizer"
logs=${SANITIZER_LOGS:-$(mktemp -d)}
mkdir -p "$logs"

# A lock or hand-off TSan cannot see makes false reports: the package uses SinkSupport's LockedValue
# (pthread, intercepted), never Synchronization.Mutex (raw futex, invisible to TSan on Linux).
if grep -rnE '\bMutex[<(]' Sources Tests --include='*.swift'; then
  echo "Use LockedValue (Sources/SinkSupport/LockedValue.swift), not Mutex: TSan cannot see Mutex on Linux." >&2
  exit 1
fi

run() {
  local name=$1 flag=$2
  local scratch=".build-$name" log="$logs/$name.log"
  local start=$SECONDS
  echo "== $name: building into $scratch" >&2
  swift build --build-tests --scratch-path "$scratch" --sanitize="$flag" 2>&1 | tail -n 3 >&2
  local built=$SECONDS
  echo "== $name: running the suite (log: $log)" >&2
  local status=0
  swift test --skip-build --scratch-path "$scratch" --sanitize="$flag" "${test_options[@]}" >"$log" 2>&1 || status=$?
  local reports
  reports=$(grep -cE 'WARNING: ThreadSanitizer|ERROR: (AddressSanitizer|LeakSanitizer)' "$log" || true)
  echo "== $name: exit status $status, $reports report(s), build $((built - start)) s, suite $((SECONDS - built)) s" >&2
  if [ "$status" -ne 0 ] || [ "$reports" -ne 0 ]; then
    grep -E -A 40 'WARNING: ThreadSanitizer|ERROR: (AddressSanitizer|LeakSanitizer)' "$log" | head -n 400 >&2 || true
    # Which tests failed and why (Swift Testing marks them ✘, XCTest says error:), then the log's
    # end, which shows a crash or a hang that named no test.
    echo "== $name: failing tests" >&2
    grep -E '✘|error: ' "$log" | grep -v ' started\.$' | head -n 60 >&2 || true
    echo "== $name: the last 40 lines of the log" >&2
    tail -n 40 "$log" >&2
    echo "== $name: FAILED (full log: $log)" >&2
    return 1
  fi
}

test_options=("$@")
failed=0
if [ "$which" = tsan ] || [ "$which" = all ]; then
  # halt_on_error=0: report every race of the run, then fail (exit code 66) at the end.
  export TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1:external_symbolizer_path=$symbolizer"
  run tsan thread || failed=1
  unset TSAN_OPTIONS
fi
if [ "$which" = asan ] || [ "$which" = all ]; then
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=1:detect_stack_use_after_return=1:external_symbolizer_path=$symbolizer"
  # Leaks allocated inside the toolchain's XCTest and Foundation are suppressed (see the file);
  # any other leak fails the run.
  export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=1"
  run asan address || failed=1
  unset ASAN_OPTIONS LSAN_OPTIONS
fi
exit "$failed"
