#!/usr/bin/env bash
# Everything the test suite needs on a fresh machine: the Python packages (pinned) and
# Debian's chromium for the browser tests (Playwright's own browser download does not work
# on a closed network, so the tests drive /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version
