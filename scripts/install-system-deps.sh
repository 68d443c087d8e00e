#!/usr/bin/env bash
# Installs the Debian packages the package needs, skipping what is already there.
# Usage: scripts/install-system-deps.sh [extra-package ...]
set -euo pipefail

packages=(libgrpc-dev libprotobuf-c-dev libcurl4-openssl-dev zlib1g-dev protobuf-c-compiler pkg-config "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
