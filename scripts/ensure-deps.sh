#!/usr/bin/env bash
# Installs the project's dev dependencies when they are missing or older than the lockfile (CI, a fresh clone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dev dependencies..."
  # npm ci: exactly the lockfile, nothing rewritten. The lockfile lists the platform-only optional packages of the lint
  # toolchain's resolver (@unrs/resolver-binding-*) for every platform, as `npm install --package-lock-only` writes them.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
