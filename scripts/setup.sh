#!/usr/bin/env bash
# Installs what the app (and, with --test, the test suite) needs on a fresh Debian machine.
# Idempotent: a second run only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r requirements.txt
if [ "$mode" = "--test" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r requirements-dev.txt
  # Debian's Chromium drives the browser tests (Playwright's own browser download
  # cannot work offline); CJK fonts so Japanese pages render in screenshots.
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
  if [ ${#need[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi
