# Sourced by scripts/test-phoenix.sh and scripts/test-mlflow.sh: runs a backend's harness
# (Tests/<Backend>/*_server.py) as a coprocess, reads its READY line, and on any exit closes its
# stdin (it then stops the backend and removes its temp dir), waits for it, and reports PASS/FAIL.
#
#   backend_start NAME SECONDS COMMAND...   sets $ready (the READY line); exits 1 if none comes
#   backend_port KEY                        the port after KEY= in $ready (http, grpc)
# $work is a temp dir removed on exit.

backend_name=""
server_pid=""
server_in=""
work="$(mktemp -d "${TMPDIR:-/tmp}/backend-test.XXXXXX")"

backend_cleanup() {
  local rc=$?
  set +e
  if [[ -n "$server_in" ]]; then exec {server_in}>&-; fi
  if [[ -n "$server_pid" ]]; then
    for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
  if [[ $rc == 0 ]]; then echo "$backend_name: PASS" >&2; else echo "$backend_name: FAIL" >&2; fi
  exit "$rc"
}
trap backend_cleanup EXIT
trap 'exit 1' INT TERM HUP

backend_start() {
  backend_name=$1
  local seconds=$2 started=$SECONDS
  shift 2
  coproc SERVER { exec "$@"; }
  server_pid=$SERVER_PID
  # Keep the pipe ends under our own names and close bash's copies, so that closing $server_in
  # really is the last writer going away (EOF for the harness).
  exec {server_in}>&"${SERVER[1]}" {server_out}<&"${SERVER[0]}"
  eval "exec ${SERVER[1]}>&- ${SERVER[0]}<&-"
  ready=""
  if ! read -r -t "$seconds" ready <&"$server_out" || [[ "$ready" != READY* ]]; then
    echo "$backend_name: the harness did not report READY (got: '${ready}')" >&2
    exit 1
  fi
  echo "$backend_name: $ready after $((SECONDS - started)) s" >&2
}

backend_port() {
  sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$ready"
}
