#!/usr/bin/env bash
# Everything the test suite needs on a fresh machine: the Python packages (pinned),
# Debian's chromium for the browser tests (Playwright's own browser download does not work
# on a closed network, so the tests drive /usr/bin/chromium) and Debian's nginx for the
# replica tests (`python -m ogp serve` runs /usr/sbin/nginx in front of Streamlit), and axe-core
# from npm for the accessibility checks.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
MISSING=""
[ -x /usr/bin/chromium ] || MISSING="$MISSING chromium"
[ -x /usr/sbin/nginx ] || MISSING="$MISSING nginx"
# ab (ApacheBench) for bench/bake_bench.py: requests/s of nginx serving the baked site
command -v ab >/dev/null || MISSING="$MISSING apache2-utils"
command -v npm >/dev/null || MISSING="$MISSING nodejs npm"
if [ -n "$MISSING" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
fi
# axe-core (pinned in package.json/package-lock.json), loaded into the pages by the browser
# tests' accessibility audit: from node_modules/, never from a CDN.
npm ci --no-audit --no-fund --silent
/usr/bin/chromium --version
/usr/sbin/nginx -v
