#!/usr/bin/env bash
# Every test: installs what the tests need (Debian packages, a Python venv with grpcio and the
# official opentelemetry-proto classes for the test receiver), checks the build has no warnings,
# then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh openssl python3-venv
if [ -x scripts/setup-python-env.sh ]; then
  scripts/setup-python-env.sh >&2
fi
if [ -x scripts/check-generated-protos.sh ]; then
  scripts/check-generated-protos.sh
fi

# The repository's .swift-format, strictly: a lint finding fails the run like a compiler warning.
lint_paths=()
for path in Package.swift Sources Tests Examples Benchmarks IntegrationTests; do
  [ -e "$path" ] && lint_paths+=("$path")
done
if ! swift format lint --strict --recursive "${lint_paths[@]}" >&2; then
  echo "swift format lint found problems (above); fix them with: swift format -i -r <paths>" >&2
  exit 1
fi

build_log=$(mktemp)
swift build --build-tests 2>&1 | tee "$build_log" >&2
# swift-distributed-tracing (pulled in by swift-service-context) ships CMakeLists.txt files in its
# Sources; SwiftPM warns about them on every build. That is the dependency's, not ours.
if grep -E "warning:" "$build_log" | grep -v "^warning: 'swift-distributed-tracing': found 1 file(s) which are unhandled" | grep -q .; then
  echo "The build has warnings; the project keeps zero." >&2
  exit 1
fi
rm -f "$build_log"

swift test --skip-build "$@"
