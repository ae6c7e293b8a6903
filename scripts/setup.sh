#!/usr/bin/env bash
# Installs what the app (and, with --test, the test suite) needs on a fresh Debian machine.
# Idempotent: a second run only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

pip_install() {
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "$@"
}

apt_install() {
  local sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

pip_install -r requirements.txt
# Debian's Chromium renders chart images for presenters (kaleido) and drives the
# browser tests (Playwright's own browser download cannot work offline); CJK
# fonts so Japanese renders in both.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ "$mode" = "--test" ]; then
  pip_install -r requirements-dev.txt
  [ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
elif [ ${#need[@]} -gt 0 ]; then
  # The app runs without them (chart image downloads are then hidden): do not fail.
  apt_install "${need[@]}" || echo "note: could not install ${need[*]}; chart PNG/SVG downloads will be unavailable" >&2
fi
