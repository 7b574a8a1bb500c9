#!/usr/bin/env bash
# Installs Debian's Chromium for node/test/playground.browser.test.mjs (driven by
# playwright-core, which never downloads a browser of its own). Idempotent: does
# nothing when /usr/bin/chromium exists. Called by `make deps`.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
