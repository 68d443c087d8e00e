#!/usr/bin/env bash
# A new user's trial: builds IntegrationTests/Consumer, a package that imports ObservabilitySinks
# beside Tracing, Instrumentation, W3CTraceContext and ServiceContextModule (no name may be
# ambiguous), and the README's Quick start (with its recursive-run snippet) pasted as it is — as
# top-level code and inside an async `main` — and the sink in a ServiceGroup (through the
# ObservabilitySinksServiceLifecycle product), and a program built by createOtelSinkFromEnv() from the
# environment alone, then runs them and checks what they print.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh

package=IntegrationTests/Consumer
snippet=$(awk '/^## Quick start/{found=1} found && /^```swift/{inside=1; next} inside && /^```/{exit} inside{print}' README.md)
[ -n "$snippet" ] || { echo "README.md has no swift block under '## Quick start'" >&2; exit 1; }
# The recursive-run snippet continues the Quick start (it uses its `observability`): it goes in
# before the shutdown, so that it compiles and runs as a reader would paste it.
recursive=$(awk '/^## Recursive runs/{found=1} found && /^```swift/{inside=1; next} inside && /^```/{exit} inside{print}' README.md)
[ -n "$recursive" ] || { echo "README.md has no swift block under '## Recursive runs'" >&2; exit 1; }
snippet=$(printf '%s\n' "$snippet" | awk -v extra="$recursive" '/^await sink.shutdown/{print extra} {print}')
mkdir -p "$package/Sources/QuickStart" "$package/Sources/QuickStartAsync"
printf '%s\n' "$snippet" >"$package/Sources/QuickStart/main.swift"
{
  printf '%s\n' "$snippet" | grep '^import '
  printf '@main\nstruct QuickStartAsync {\n  static func main() async {\n'
  printf '%s\n' "$snippet" | grep -v '^import ' | sed 's/^/    /'
  printf '  }\n}\n'
} >"$package/Sources/QuickStartAsync/QuickStartAsync.swift"

swift build --package-path "$package" 2>&1 | tee /tmp/consumer-build.log >&2
if grep -E "(error|warning):" /tmp/consumer-build.log | grep -v "swift-distributed-tracing': found" | grep -q .; then
  echo "the consumer package did not build cleanly" >&2
  exit 1
fi
bin="$package/.build/debug"

check() {  # name, output, pattern
  if ! grep -qE "$3" <<<"$2"; then
    printf '%s printed:\n%s\nexpected a line matching: %s\n' "$1" "$2" "$3" >&2
    exit 1
  fi
}
out=$("$bin/NameClash")
check NameClash "$out" '^run joined: true$'
check NameClash "$out" '^child joined: true$'
check NameClash "$out" 'chat m'
out=$("$bin/InServiceGroup")
check InServiceGroup "$out" '^before shutdown: 0 exported$'
check InServiceGroup "$out" 'rlm\.run'
check InServiceGroup "$out" '^after shutdown: 1 exported$'
# The card's factory: configured by the environment alone (the console exporter, a sampler, off).
from_env() { env -u OTEL_EXPORTER_OTLP_ENDPOINT -u OTEL_TRACES_SAMPLER -u OTEL_TRACES_SAMPLER_ARG -u TRACEPARENT "$@" "$bin/FromEnvironment"; }
out=$(from_env DSPY_RLM_OTEL_ENABLED=true DSPY_RLM_OTEL_METRICS_ENABLED=false OTEL_TRACES_EXPORTER=console)
check FromEnvironment "$out" '^detail: console$'
check FromEnvironment "$out" 'rlm\.run'
check FromEnvironment "$out" '^traceparent: 00-[0-9a-f]{32}-[0-9a-f]{16}-01$'
check FromEnvironment "$out" '^spans exported: 2$'
check FromEnvironment "$out" '^runs not sampled: 0$'
out=$(from_env DSPY_RLM_OTEL_ENABLED=true DSPY_RLM_OTEL_METRICS_ENABLED=false OTEL_TRACES_EXPORTER=console \
  OTEL_TRACES_SAMPLER=always_off)
check FromEnvironment "$out" '^traceparent: 00-[0-9a-f]{32}-[0-9a-f]{16}-00$'
check FromEnvironment "$out" '^spans exported: 0$'
check FromEnvironment "$out" '^runs not sampled: 1$'
out=$(from_env -u DSPY_RLM_OTEL_ENABLED)
check FromEnvironment "$out" '^detail: disabled$'
# A spool from the environment, the collector down (nothing listens on port 9): the first process
# keeps its 2 spans on disk through shutdown, the next one takes them over.
spool_dir=$(mktemp -d)
spooled() {
  from_env DSPY_RLM_OTEL_ENABLED=true DSPY_RLM_OTEL_METRICS_ENABLED=false \
    OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 OTEL_EXPORTER_OTLP_TIMEOUT=500 \
    DSPY_RLM_OTEL_SPOOL_DIR="$spool_dir/spool" 2>/dev/null
}
out=$(spooled)
check FromEnvironment "$out" '^spool spans: 2$'
check FromEnvironment "$out" '^spans recovered: 0$'
out=$(spooled)
check FromEnvironment "$out" '^spans recovered: 2$'
check FromEnvironment "$out" '^spool spans: 4$'
rm -rf "$spool_dir"
for target in QuickStart QuickStartAsync; do
  out=$(env -u OTEL_EXPORTER_OTLP_ENDPOINT -u DSPY_RLM_OTEL_ENABLED "$bin/$target")
  printf '%s\n' "$out"
  check "$target" "$out" '^trace: [0-9a-f]{32}$'
  check "$target" "$out" 'rlm\.run'
  check "$target" "$out" 'rlm\.step'
  check "$target" "$out" 'chat gpt-4o-mini'
done
echo "consumer: 5 passed, 0 failed"
