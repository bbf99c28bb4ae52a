#!/usr/bin/env bash
# What the tests need from Debian: Chromium (the report and lab tests open pages in it, driven by
# playwright-core) and clickhouse-server (the engine tests start a two-shard cluster on loopback).
# Installs what is missing with apt when allowed; otherwise says how.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/sbin/clickhouse-server ] || need+=(clickhouse-server)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian ${need[*]} for the tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null && exit 0
fi
echo "note: the tests need ${need[*]} (apt-get install ${need[*]})" >&2
