#!/usr/bin/env bash
# The report tests open HTML reports in headless Chromium (Debian's package, driven by
# playwright-core). Installs it with apt when missing and allowed; otherwise says how.
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium for the report tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "note: the report tests need Chromium at /usr/bin/chromium (apt-get install chromium)" >&2
