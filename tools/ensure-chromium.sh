#!/usr/bin/env bash
# The browser test of the SDK runs in Debian's Chromium (no browser is downloaded by npm):
# install it when it is missing and this user may.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the SDK's browser test"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "warning: chromium is not installed and cannot be installed here; the SDK's browser test will fail (apt-get install -y chromium)" >&2
fi
