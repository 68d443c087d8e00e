#!/usr/bin/env bash
# Creates <repo>/VENV from REQUIREMENTS (pinned) and prints its interpreter; the one venv maker the
# test receiver's, Phoenix's and MLflow's setup scripts share. Idempotent: when the venv exists and
# was built from the current requirements file (same checksum in VENV/.requirements.sha256) it does
# nothing but print the interpreter. CHECK is Python run in the venv before stamping it, to prove
# the modules the caller needs import.
#
# Usage: scripts/setup-venv.sh VENV REQUIREMENTS CHECK   (PYTHON=/path/to/python3 picks the base)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/${1:?usage: setup-venv.sh VENV REQUIREMENTS CHECK}"
requirements="$repo/${2:?usage: setup-venv.sh VENV REQUIREMENTS CHECK}"
check="${3:?usage: setup-venv.sh VENV REQUIREMENTS CHECK}"
stamp="$venv/.requirements.sha256"
base_python="${PYTHON:-python3}"

want="$(sha256sum "$requirements" | cut -d' ' -f1)"

# Fast path: the stamp matches and the interpreter still runs (a moved/deleted base interpreter
# leaves a venv whose bin/python is a dangling link).
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && "$venv/bin/python" -c '' 2>/dev/null; then
  echo "$venv/bin/python"
  exit 0
fi

if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$venv"
  if ! "$base_python" -m venv "$venv" 2>/dev/null; then
    # Debian ships venv/ensurepip separately; install it when we are allowed to.
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
      echo "python3 -m venv failed; installing python3-venv" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
      rm -rf "$venv"
      "$base_python" -m venv "$venv"
    else
      echo "error: '$base_python -m venv' failed; install python3-venv (e.g. apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
"$venv/bin/python" -W ignore -c "$check" >&2
echo "$want" >"$stamp"
echo "$venv/bin/python"
