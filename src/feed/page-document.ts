import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './page-script.js';

/** The live page's HTML and the Content-Security-Policy that allows exactly its inline script and style. */
export interface FeedPageDocument {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

const PAGE_STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; font-size: 14px; color: #1f2328; background: #f6f8fa; }
body { margin: 0; padding: 16px 24px; }
header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 13px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: 0.04em; color: #57606a; }
#status { padding: 2px 10px; border-radius: 10px; background: #eaeef2; }
#status[data-state="live"] { background: #dafbe1; color: #116329; }
#status[data-state="connecting"] { background: #fff8c5; color: #7d4e00; }
#status[data-state="closed"] { background: #ffebe9; color: #a40e26; }
#notice { padding: 6px 10px; margin: 8px 0; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; }
.panels { display: grid; grid-template-columns: 1fr 1fr 2fr; gap: 16px; margin: 12px 0; }
.panel { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
.panel ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 12px; }
.panel li { display: flex; gap: 6px; align-items: baseline; }
#sparkline { width: 100%; height: 60px; background: #f6f8fa; }
#sparkline-line { fill: none; stroke: #0969da; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
#rate { color: #57606a; font-size: 12px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #d0d7de; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { position: sticky; top: 0; background: #f6f8fa; font-weight: 600; }
td.number { font-variant-numeric: tabular-nums; }
td.error { color: #a40e26; }
.outcome { display: inline-block; padding: 0 6px; border-radius: 4px; font-weight: 600; }
.outcome-upserted { color: #116329; background: #dafbe1; }
.outcome-deleted { color: #512a97; background: #fbefff; }
.outcome-ignored { color: #57606a; background: #eaeef2; }
.outcome-rejected { color: #7d4e00; background: #fff1c2; }
.outcome-failed { color: #a40e26; background: #ffebe9; }
.outcome-dead-lettered { color: #fff; background: #82071e; }
`;

/**
 * Renders the self-contained live page for a feed served at `feedPath`. The
 * page loads nothing from elsewhere: its CSS, script and sparkline are inline.
 */
export function renderFeedPage(feedPath: string): FeedPageDocument {
  const config = JSON.stringify({ feedPath }).replace(/</g, '\\u003c');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>jira-port-stream: processed results</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>Processed results</h1>
<span id="status" data-state="connecting" role="status">Connecting</span>
</header>
<div id="notice" role="alert" hidden></div>
<section class="panels">
<div class="panel"><h2>Outcomes</h2><ul id="outcome-counts"></ul></div>
<div class="panel"><h2>Kinds</h2><ul id="kind-counts"></ul></div>
<div class="panel"><h2>Deliveries received per second, last 60 s</h2>
<svg id="sparkline" viewBox="0 0 590 60" preserveAspectRatio="none" role="img" aria-label="Deliveries received per second over the last 60 seconds"><polyline id="sparkline-line" points=""></polyline></svg>
<div id="rate"></div></div>
</section>
<table>
<thead><tr><th>Offset</th><th>Finished (UTC)</th><th>Webhook event</th><th>Kinds</th><th>Outcome</th><th>Entities</th><th>Reason or error</th></tr></thead>
<tbody id="rows"></tbody>
</table>
<script type="application/json" id="feed-config">${config}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;

  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src '${sha256Source(PAGE_SCRIPT)}'`,
    `style-src '${sha256Source(PAGE_STYLE)}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

/** Returns a CSP hash source (`sha256-<base64>`) for inline text. */
function sha256Source(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
