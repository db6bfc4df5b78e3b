#!/usr/bin/env bash
# Installs Debian's chromium for the editor test (test/editor): playwright-core drives it by its executable path,
# no browser download. Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present) at /usr/bin/chromium"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
		echo "install-chromium: need root (or sudo) to apt-get install chromium" >&2
		exit 1
	fi
fi

$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null) at /usr/bin/chromium"
