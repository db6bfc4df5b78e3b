#!/usr/bin/env bash
# The main job: a real n8n with the pack, touch intake and order sync on the bundled sample data, and the source report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-deps.sh
bash scripts/install-n8n.sh
npm run --silent build
npx ts-node --transpile-only test/demo/demo.ts
