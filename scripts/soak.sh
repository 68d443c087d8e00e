#!/usr/bin/env bash
# The soak: one sink under steady load for SECONDS (default 600) while the OTLP receiver behind it
# is stopped and restarted at random (loopback only), then checks that the driver's RSS, open
# descriptors and threads stayed flat and that every span was delivered or counted. Prints a
# summary; exits non-zero on any violation. Works from a fresh clone (installs what it needs, as
# scripts/test.sh does). See docs/reliability-soak.md.
#
# Usage: scripts/soak.sh [SECONDS]          (SOAK_SEED=N to replay a run's chaos)
#        scripts/soak.sh --spool [SECONDS]  the spool soak (Tests/Soak/spool_soak.py): producer
#                                           processes on one spool killed at random (SIGKILL,
#                                           SIGABRT) while the receiver restarts; nothing lost
#                                           beyond the kills' loss window, duplicates bounded,
#                                           the spool within its bound
set -euo pipefail
cd "$(dirname "$0")/.."
spool=0
if [[ "${1:-}" == "--spool" ]]; then
  spool=1
  shift
fi
seconds="${1:-600}"

scripts/install-system-deps.sh python3-venv
python="$(scripts/setup-python-env.sh)"

if ((spool)); then
  swift build --product SpoolChild >&2
  swift build --product rlm-otel-replay >&2
  bin="$(swift build --show-bin-path)"
  exec "$python" Tests/Soak/spool_soak.py --child "$bin/SpoolChild" --replay "$bin/rlm-otel-replay" \
    --seconds "$seconds" ${SOAK_SEED:+--seed "$SOAK_SEED"}
fi

swift build --product SinkSoak >&2
driver="$(swift build --show-bin-path)/SinkSoak"

exec "$python" Tests/Soak/soak.py --driver "$driver" --seconds "$seconds" ${SOAK_SEED:+--seed "$SOAK_SEED"}
