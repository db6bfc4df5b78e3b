#!/usr/bin/env bash
# Installs the project's dev dependencies when they are missing or older than the lockfile (CI, a fresh clone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dev dependencies (npm ci)..."
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
