#!/usr/bin/env bash
# Installs the project's dev dependencies when they are missing or older than the lockfile (CI, a fresh clone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dev dependencies..."
  # npm install, not npm ci: npm 11's ci refuses this lockfile ("Missing: @unrs/resolver-binding-* from lock file",
  # the platform-only optional packages of the lint toolchain's resolver), even when the lockfile is freshly made.
  # install follows the same lockfile and tolerates that.
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
fi
