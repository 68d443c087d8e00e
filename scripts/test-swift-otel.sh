#!/usr/bin/env bash
# The swift-otel integration tests (IntegrationTests/SwiftOTel, a package of its own so that the
# main suite never builds swift-otel): a run started inside a swift-otel span joins that span's
# trace, and the sink shuts down in a ServiceGroup beside swift-otel's service. Installs the Debian
# packages the library builds against (nothing else: these tests need no Python receiver and no
# certificates), checks the build has no warnings, then runs the tests. A first build takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh

package="$PWD/IntegrationTests/SwiftOTel"
scratch="$package/.build"

# swift-otel applies OTEL_* overrides when the tests make its backend: a sampler or exporter from
# the caller's environment would change what the tests observe (OTLP/gRPC, swift-otel's default
# protocol, would even stop the process: this package leaves out the OTLPGRPC trait). The sink in
# the tests reads no environment at all.
while read -r variable; do unset "$variable"; done < <(compgen -e | grep '^OTEL_' || true)

build_log=$(mktemp)
swift build --package-path "$package" --scratch-path "$scratch" --build-tests 2>&1 | tee "$build_log" >&2
# The one known warning is swift-distributed-tracing's (CMakeLists.txt in its Sources), as in
# scripts/test.sh.
if grep -E "warning:" "$build_log" | grep -v "^warning: 'swift-distributed-tracing': found 1 file(s) which are unhandled" | grep -q .; then
  echo "The build has warnings; the project keeps zero." >&2
  exit 1
fi
rm -f "$build_log"

swift test --package-path "$package" --scratch-path "$scratch" --skip-build "$@"
