import { resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** Nothing on the page loads from elsewhere: its one script, one stylesheet and data are same-origin. */
export const OPS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page's three files. */
export interface OpsPageAssets {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Herald ops</title>
<link rel="stylesheet" href="/_herald/ops/app.css">
<script defer src="/_herald/ops/app.js"></script>
</head>
<body>
<header><h1>Herald ops · <span id="label">…</span></h1><span class="muted">updated <span id="updated">–</span></span></header>
<div id="error" role="status"></div>
<section class="tiles">
${[
  ['queue-depth', 'Queue depth'],
  ['in-flight', 'In flight'],
  ['dlq-depth', 'DLQ depth'],
  ['oldest-age', 'Oldest message'],
  ['accepted-rate', 'Accepted/s'],
  ['stored-rate', 'Stored/s'],
  ['latency-p50', 'Latency p50'],
  ['latency-p99', 'Latency p99'],
  ['stored-total', 'Stored, 15 min'],
]
  .map(
    ([id = '', name = '']) =>
      `<div class="tile" id="${id === 'dlq-depth' ? 'dlq-tile' : `${id}-tile`}"><div class="name">${name}</div><div class="value" id="${id}">–</div></div>`,
  )
  .join('\n')}
</section>
<section class="charts"><div class="chart" id="depth-chart"></div><div class="chart" id="rate-chart"></div></section>
<section class="columns">
<div><h2>Alarms</h2><table><tbody id="alarms"></tbody></table></div>
<div><h2>Latest mailbox entries</h2><table><tbody id="mailbox"></tbody></table></div>
</section>
</body>
</html>
`;

let assets: OpsPageAssets | undefined;

/**
 * The page, its script (the page code with uPlot, bundled by esbuild) and its stylesheet. Built
 * once per process on first use (about a tenth of a second), so the edge starts no slower.
 */
export function opsPageAssets(): OpsPageAssets {
  if (assets) return assets;
  const result = buildSync({
    entryPoints: [resolve(import.meta.dirname, 'page/main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    outdir: 'ops-page',
    write: false,
    logLevel: 'silent',
    legalComments: 'inline',
  });
  const text = (extension: string) =>
    result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  assets = { html: HTML, js: text('.js'), css: text('.css') };
  return assets;
}
