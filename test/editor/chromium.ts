import { resolve } from 'path';
import { ROOT } from '../e2e/realN8n';

/**
 * How the browser tests run Chromium: Debian's `chromium` (scripts/install-chromium.sh; CHROMIUM_PATH picks another)
 * driven by playwright-core through its executable path, no browser download. Screenshots go to docs/screenshots,
 * or to EDITOR_SCREENSHOTS_DIR when it is set.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SHOTS = resolve(ROOT, process.env.EDITOR_SCREENSHOTS_DIR ?? 'docs/screenshots');
