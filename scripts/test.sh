#!/usr/bin/env bash
# The whole test suite: type check, n8n's community-node lint, the offline part of n8n's community-package scan on
# the source and the packed tarball, unit and in-process workflow tests (jest), then the
# real-n8n end-to-end suite (installs the pinned n8n once into .cache/, packs and installs this pack into it), and the
# editor test in Debian's headless Chromium (screenshots to .cache/screenshots; `npm run screenshots` refreshes docs/).
# Set N8N_VERSION to run the real-n8n suite on another n8n line (e.g. 1.123.81).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-deps.sh
npm run --silent typecheck
npm run --silent lint
bash scripts/scan-package.sh
# n8n before jest: the templates test checks the templates against n8n's own Webhook node when n8n is installed.
bash scripts/install-n8n.sh
npx jest --ci
npm run --silent test:e2e
EDITOR_SCREENSHOTS_DIR=${EDITOR_SCREENSHOTS_DIR:-.cache/screenshots} npm run --silent test:editor
