#!/usr/bin/env bash
# The real-n8n suite's smaller set on the newest n8n 1.x (the "legacy" pin in test/e2e/n8n-version.json): the
# status-change notifier template (CRM XML Import incremental -> CRM Status Map -> won / lost -> messenger webhook).
# The other templates need 2.x's Data Table node (create / clear table), which 1.x does not have (see the README's
# compatibility table). Expects a build in dist/ (scripts/test.sh makes it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=$(node -p "require('./test/e2e/n8n-version.json').legacy")
bash scripts/install-n8n.sh "$version"
N8N_VERSION="$version" npx jest --ci --config jest.e2e.config.js --runInBand test/e2e/statusNotifier.e2e.test.ts
