#!/usr/bin/env bash
# Fails (exit 1, with a diff) when the committed protobuf-c code of Sources/COTLPProto differs from what
# scripts/generate-protos.sh produces from the .proto subset now. CI runs this.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/Sources/COTLPProto"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

"$root/scripts/generate-protos.sh" "$fresh" >/dev/null

committed="$(mktemp -d)"
trap 'rm -rf "$fresh" "$committed"' EXIT
mkdir -p "$committed/include"
cp "$target"/*.pb-c.c "$committed"/ 2>/dev/null || true
cp "$target"/include/*.pb-c.h "$committed/include"/ 2>/dev/null || true

if ! diff -ru "$committed" "$fresh"; then
  echo "Generated protobuf-c code is out of date: run scripts/generate-protos.sh and commit." >&2
  exit 1
fi
echo "Generated protobuf-c code is up to date."
