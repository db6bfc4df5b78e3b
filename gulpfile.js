// Copies node icons (SVG) and codex files next to the built nodes, as n8n expects them in dist.
const { src, dest } = require('gulp');

function buildIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
