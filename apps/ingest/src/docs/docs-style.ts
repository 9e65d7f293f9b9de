/** The page's only styles, inline: the docs load nothing from anywhere. */
export const DOCS_CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #dde2ea; --bg-soft: #f5f7fa; --accent: #2457c5; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); }
.layout { display: grid; grid-template-columns: 260px 1fr; min-height: 100vh; }
nav { position: sticky; top: 0; align-self: start; height: 100vh; overflow: auto; padding: 24px 16px; background: var(--bg-soft); border-right: 1px solid var(--line); }
nav h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 20px 0 6px; }
nav a { display: block; padding: 3px 0; color: var(--fg); text-decoration: none; font-size: 14px; }
nav a:hover { color: var(--accent); }
main { padding: 32px 48px; max-width: 1100px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2.section { margin-top: 48px; padding-top: 16px; border-top: 1px solid var(--line); }
h3 { margin: 0; font-size: 18px; }
h4 { margin: 18px 0 6px; font-size: 14px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.version { color: var(--muted); }
code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; background: var(--bg-soft); padding: 1px 4px; border-radius: 4px; word-break: break-word; }
.op { margin: 28px 0; padding: 20px 24px; border: 1px solid var(--line); border-radius: 10px; }
.op-head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.method { font: 700 12px/1 ui-monospace, monospace; padding: 5px 8px; border-radius: 5px; color: #fff; text-transform: uppercase; }
.method.get { background: #1f7a4d; } .method.post { background: #2457c5; } .method.put, .method.patch { background: #a36200; } .method.delete { background: #b3261e; }
.path { font: 600 16px ui-monospace, "DejaVu Sans Mono", monospace; }
.summary { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { background: var(--bg-soft); font-weight: 600; }
td p { margin: 0 0 4px; }
td:first-child { white-space: nowrap; }
.type { color: #7a2e8e; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
a.type { color: var(--accent); }
.or { color: var(--muted); font-size: 12px; }
.notes { color: var(--muted); font-size: 13px; }
.req { color: #b3261e; font-size: 12px; }
.status { font-weight: 700; font-family: ui-monospace, monospace; }
.status.s2 { color: #1f7a4d; } .status.s4 { color: #a36200; } .status.s5 { color: #b3261e; }
.scope { display: inline-block; font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #e8eefc; color: var(--accent); }
.schema { margin: 18px 0; }
.variant { margin-top: 8px; color: var(--muted); font-size: 13px; }
`;
