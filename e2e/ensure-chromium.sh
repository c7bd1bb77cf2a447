#!/bin/sh
# Makes sure a Chromium for the browser tests is installed: Debian's package,
# never a browser download. Honours $CHROMIUM (path of the executable).
set -eu
bin="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
	exit 0
fi
if [ -n "${CHROMIUM:-}" ]; then
	echo "CHROMIUM=$CHROMIUM is not an executable" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing Debian's chromium for the browser tests" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq chromium >/dev/null
	exit 0
fi
echo "Chromium not found at $bin: install it (sudo apt-get install chromium) or set CHROMIUM" >&2
exit 1
