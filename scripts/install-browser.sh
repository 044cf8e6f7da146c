#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (tests/web/test_browser.py) when it is missing.
# Never fails the caller: when chromium cannot be installed it prints a warning and exits 0, and
# the browser tests skip with a reason that says so. Playwright drives this binary directly
# (executable_path=/usr/bin/chromium); `playwright install` is never run.
set -u

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "warning: /usr/bin/chromium is missing and this user cannot install packages (not root, no sudo);" >&2
  echo "warning: the browser tests will be skipped. Install it with: apt-get install chromium" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: /usr/bin/chromium is missing and apt-get is not available; the browser tests will be skipped." >&2
  exit 0
fi

echo "installing chromium for the browser tests (apt-get)..." >&2
if $SUDO apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive $SUDO env DEBIAN_FRONTEND=noninteractive \
     apt-get install -y -qq chromium >/dev/null; then
  echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)" >&2
else
  echo "warning: could not install chromium with apt-get; the browser tests will be skipped." >&2
fi
exit 0
