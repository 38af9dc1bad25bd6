#!/usr/bin/env bash
# Sets everything up for the tests on a fresh machine with only Python, then runs them.
# Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -e '.[test]'
# The report tests open the HTML in headless Chromium (Debian's package).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the report tests..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will be skipped" >&2
  else
    echo "warning: chromium not found and cannot be installed; browser tests will be skipped" >&2
  fi
fi
.venv/bin/python -m ruff check .          # pyflakes, unused arguments, import order (pyproject)
exec .venv/bin/python -m pytest -q "$@"
