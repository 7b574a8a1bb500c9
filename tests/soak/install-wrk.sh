#!/usr/bin/env bash
# Installs Debian's wrk for `make soak`, its short run in `make test`, and
# `make bench`. Idempotent: does nothing when wrk is on PATH. (Kept out of
# third_party/apt-setup.sh, whose contents key the cached wasm prefix.)
set -euo pipefail
if command -v wrk >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 ||
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
command -v wrk >/dev/null
