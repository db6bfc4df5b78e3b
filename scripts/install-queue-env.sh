#!/usr/bin/env bash
# Installs what the queue-mode suite (npm run test:queue) starts by itself: Debian's redis-server and postgresql.
# Only the binaries are used: the suite runs its own redis-server and its own Postgres cluster on free loopback ports
# in .tmp/, never the system services (no systemd needed). Idempotent: nothing is installed when both are present.
set -euo pipefail

have_redis() { command -v redis-server >/dev/null 2>&1; }
have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null && command -v psql >/dev/null 2>&1; }

if have_redis && have_postgres; then
  echo "redis-server and postgresql already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-queue-env: redis-server and postgresql are missing, and installing them needs root (or password-less sudo)." >&2
  echo "Install them yourself: apt-get install redis-server postgresql" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-queue-env: no apt-get here; install redis-server and PostgreSQL (initdb, pg_ctl, psql) by hand" >&2
  exit 1
fi

packages=()
have_redis || packages+=(redis-server)
have_postgres || packages+=(postgresql)
# The version apt would install, empty when it knows none (a fresh container may have no package lists yet).
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)' || true; }
for package in "${packages[@]}"; do
  if [ -z "$(candidate "$package")" ]; then
    "${as_root[@]}" apt-get update -qq
    break
  fi
done
for package in "${packages[@]}"; do
  [ -n "$(candidate "$package")" ] || { echo "install-queue-env: apt has no candidate for $package" >&2; exit 1; }
done
echo "Installing ${packages[*]} (Debian packages; their services are not used)..."
# policy-rc.d 101: do not start the packaged services during the install (the suite runs its own instances).
policy=/usr/sbin/policy-rc.d
added_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod +x "$policy"
  added_policy=true
fi
status=0
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || status=$?
if [ "$added_policy" = true ]; then "${as_root[@]}" rm -f "$policy"; fi
[ "$status" -eq 0 ] || { echo "install-queue-env: apt-get install ${packages[*]} failed ($status)" >&2; exit "$status"; }
have_redis && have_postgres || { echo "install-queue-env: redis-server or PostgreSQL binaries still missing after the install" >&2; exit 1; }
echo "redis-server and postgresql installed"
