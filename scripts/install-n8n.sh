#!/usr/bin/env bash
# Installs a pinned real n8n into an ignored cache folder, once per version.
# Usage: scripts/install-n8n.sh [version]   (default: N8N_VERSION or the pin in test/e2e/n8n-version.json)
# n8n 2.x needs Node 24: it comes from the `node` package on npm (no download outside the registry).
# n8n 1.x runs on the machine's Node 20 with the xlsx override and the legacy expression engine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-${N8N_VERSION:-$(node -p "require('$root/test/e2e/n8n-version.json').default")}}
dir="$root/.cache/n8n-$version"
if [ -x "$dir/node_modules/.bin/n8n" ] && [ -f "$dir/.installed" ]; then
  echo "n8n $version already installed in $dir"
  exit 0
fi
major=${version%%.*}
mkdir -p "$dir"
cd "$dir"
if [ "$major" -ge 2 ]; then
  cat > package.json <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$version", "node": "^24" } }
JSON
else
  cat > package.json <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$version" }, "overrides": { "xlsx": "0.18.5" } }
JSON
fi
echo "Installing n8n $version into $dir (a few minutes, once)..."
npm install --ignore-scripts --no-audit --no-fund --loglevel=error
# node@24 ships its binary through an install script; run only that one.
if [ "$major" -ge 2 ]; then
  [ -x node_modules/node/bin/node ] || (cd node_modules/node && node installArchSpecificPackage.js >/dev/null)
  ln -sf ../node/bin/node node_modules/.bin/node
  node_modules/.bin/node --version >/dev/null || { echo "node@24 binary missing after install" >&2; exit 1; }
fi
(cd node_modules/sqlite3 && npx --yes node-gyp rebuild --loglevel=error >/dev/null)
touch .installed
echo "n8n $version installed"
