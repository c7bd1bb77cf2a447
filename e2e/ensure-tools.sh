#!/bin/sh
# Makes sure the programs the browser tests use are installed, from Debian's
# packages (never a browser download): Chromium (honours $CHROMIUM, the path
# of the executable), poppler-utils to read printed PDFs back, and Python 3
# whose http.server serves the static export as any static host would, and
# nginx, which runs the README's caching-proxy recipe; GDAL (ogrinfo) and
# OWSLib, the clients the data service is checked with.
set -eu
bin="${CHROMIUM:-/usr/bin/chromium}"
missing=""
if [ ! -x "$bin" ]; then
	if [ -n "${CHROMIUM:-}" ]; then
		echo "CHROMIUM=$CHROMIUM is not an executable" >&2
		exit 1
	fi
	missing="$missing chromium"
fi
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
[ -x "${NGINX:-/usr/sbin/nginx}" ] || missing="$missing nginx-light"
command -v ogrinfo >/dev/null 2>&1 || missing="$missing gdal-bin"
/usr/bin/python3 -c 'import owslib' >/dev/null 2>&1 || missing="$missing python3-owslib"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing Debian's$missing for the browser tests" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -qq $missing >/dev/null
	exit 0
fi
echo "missing for the browser tests:$missing (sudo apt-get install$missing)" >&2
exit 1
