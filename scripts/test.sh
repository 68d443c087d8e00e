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

# The repository's .swift-format, strictly, over every tracked Swift file: a lint finding fails
# the run like a compiler warning.
mapfile -t swift_files < <(git ls-files '*.swift' 2>/dev/null || find . -name '*.swift' -not -path './.build*')
if ! swift format lint --strict "${swift_files[@]}" >&2; then
  echo "swift format lint found problems (above); fix them with: swift format -i <files>" >&2
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
