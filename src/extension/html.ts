// The webview page: one script and two stylesheets from dist/webview, a strict CSP with a nonce.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** `stylesheet`: the page's first stylesheet; `styles`: further ones from dist/webview, after golens.css. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: string, title: string, stylesheet = 'd3-flamegraph.css', styles: string[] = []): string {
  const nonce = randomBytes(16).toString('base64');
  const res = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', f)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${res(stylesheet)}">
<link rel="stylesheet" href="${res('golens.css')}">
${styles.map((f) => `<link rel="stylesheet" href="${res(f)}">\n`).join('')}<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app" aria-busy="true"><p class="loading">Loading ${escapeHtml(title)}…</p></div>
<script nonce="${nonce}" src="${res(entry)}"></script>
</body>
</html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
