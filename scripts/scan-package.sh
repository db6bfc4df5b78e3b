#!/usr/bin/env bash
# Packs the pack as npm would publish it and runs the offline part of n8n's community-package scan on the source and
# on the tarball (the scanner is installed once into .cache/; its lint plugin's pnpm-only preinstall is skipped).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=0.32.0
scanner=".cache/scan-community-package-$version"
if [ ! -f "$scanner/node_modules/@n8n/scan-community-package/package.json" ]; then
  echo "Installing @n8n/scan-community-package $version into $scanner..."
  mkdir -p "$scanner"
  echo '{"name":"scanner","private":true}' > "$scanner/package.json"
  npm install --prefix "$scanner" --ignore-scripts --no-audit --no-fund --loglevel=error "@n8n/scan-community-package@$version"
fi
out=.tmp/pack
rm -rf "$out" && mkdir -p "$out/unpacked"
npm run --silent build >/dev/null
tarball=$(npm pack --silent --pack-destination "$out" 2>/dev/null | tail -1)
tar -xzf "$out/$tarball" -C "$out/unpacked" --strip-components=1
tar -tzf "$out/$tarball" | sed 's#^package/##' > "$out/files.txt"
node scripts/scan-package.mjs "$root/$scanner" "$root/$out/unpacked" "$out/files.txt"
