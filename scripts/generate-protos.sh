#!/usr/bin/env bash
# Regenerates the protobuf-c code of Sources/COTLPProto from the .proto subset in Sources/COTLPProto/proto.
#
#   scripts/generate-protos.sh [OUTPUT_DIR]
#
# OUTPUT_DIR defaults to Sources/COTLPProto (headers go to OUTPUT_DIR/include, sources to OUTPUT_DIR).
# Output is flat: `a/b/c.proto` becomes `a_b_c.pb-c.{h,c}` and the generated `#include "a/b/c.pb-c.h"`
# lines are rewritten to match, because SwiftPM rejects an umbrella header beside subfolders.
# Deterministic: fixed file order, relative paths in the generated comments, no timestamps.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proto_dir="$root/Sources/COTLPProto/proto"
out="${1:-$root/Sources/COTLPProto}"

command -v protoc-c >/dev/null || { echo "protoc-c missing: apt-get install protobuf-c-compiler" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$proto_dir"
mapfile -t protos < <(find . -name '*.proto' -printf '%P\n' | LC_ALL=C sort)
protoc-c --proto_path=. --c_out="$work" "${protos[@]}"

mkdir -p "$out/include"
# Remove what an earlier run generated so deleted .proto files leave nothing behind.
find "$out" -maxdepth 1 -name '*.pb-c.c' -delete
find "$out/include" -maxdepth 1 -name '*.pb-c.h' -delete

flat() { echo "${1//\//_}"; }
for proto in "${protos[@]}"; do
  base="${proto%.proto}"
  for ext in h c; do
    sed -E \
      -e '/^#include "[^"]+\.pb-c\.h"/ s#/#_#g' \
      "$work/$base.pb-c.$ext" >"$out/$([ "$ext" = h ] && echo include/)$(flat "$base").pb-c.$ext"
  done
done
echo "generated ${#protos[@]} files' code into $out"
