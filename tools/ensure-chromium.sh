#!/usr/bin/env bash
# The SDK's browser test and the console's end-to-end tests run in Debian's Chromium (no browser is downloaded by npm):
# install it when it is missing and this user may.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests (SDK, console)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "warning: chromium is not installed and cannot be installed here; the browser tests (SDK, console) will fail (apt-get install -y chromium)" >&2
fi
