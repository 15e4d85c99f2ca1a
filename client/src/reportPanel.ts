/**
 * "Throughline: Open Strategy Report": the server's HTML report in a webview panel.
 *
 * The server renders the whole document, including its Content-Security-Policy for the nonce we
 * pass; the webview runs no script at all (`enableScripts: false`) and may load nothing from disk
 * (`localResourceRoots: []`), so the report's own styles, allowed by that nonce, are all it gets.
 *
 * It re-renders when the server says the alignment changed (debounced by the caller), at once
 * when the panel is visible, otherwise when it is shown again. Without scripts the page cannot
 * keep its scroll position across a re-render: each refresh starts at the top.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { OPEN_LOCATION_COMMAND, StrategyReportRequest } from '../../common/protocol';

const REPORT_VIEW_TYPE = 'throughline.report';
const REPORT_TITLE = 'Strategy Report';

export { OPEN_LOCATION_COMMAND };

/**
 * The only commands a link in the panel may run: ours to open a problem's location, and ours for
 * the panel's own messages. Scripts stay disabled: the workbench, not the page, follows the link.
 *
 * Not `vscode.open`: the workbench would open the server's `file:` URI on the machine the window
 * runs on, which is not where the files are in a remote window (SSH, WSL, containers, code-server).
 * Our command runs in the extension host, next to the server, and the API maps the URI for the window.
 */
const LINKED_COMMANDS = [OPEN_LOCATION_COMMAND, 'throughline.openReport', 'throughline.restartServer'];

/**
 * Opens `uri` with the cursor on `line` and `column` (1-based, as the report shows them). The
 * position may also come as a `#L<line>,<column>` fragment of the URI. Only files and untitled
 * documents: a link cannot make the editor open anything else.
 */
export async function openLocation(target: unknown, line?: unknown, column?: unknown): Promise<void> {
  if (typeof target !== 'string') throw new Error('the link names no file to open');
  let uri = vscode.Uri.parse(target);
  const fragment = /^L(\d+)(?:,(\d+))?$/.exec(uri.fragment);
  if (fragment) uri = uri.with({ fragment: '' });
  if (uri.scheme !== 'file' && uri.scheme !== 'untitled') throw new Error(`the report links to ${uri.scheme}: URIs, which Throughline does not open`);
  const lineNumber = typeof line === 'number' ? line : Number(fragment?.[1] ?? 1);
  const columnNumber = typeof column === 'number' ? column : Number(fragment?.[2] ?? 1);
  const position = new vscode.Position(Math.max(lineNumber - 1, 0), Math.max(columnNumber - 1, 0));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
}

/** The tab icon: the extension's chain mark, in the default themes' icon colours (an image cannot use theme colours). */
const TAB_ICON_SVG = (colour: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="${colour}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><circle cx="12" cy="4" r="2.2"/><circle cx="6" cy="12" r="2.2"/><circle cx="18" cy="12" r="2.2"/><circle cx="6" cy="20" r="2.2"/><circle cx="18" cy="20" r="2.2"/><path d="M10.6 5.7 7.4 10.3M13.4 5.7l3.2 4.6M6 14.2v3.6M18 14.2v3.6"/></svg>`;
const svgUri = (svg: string) => vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`);

/** A page without what differs between two renders of the same report: its nonce and its time stamps. */
function reportContent(html: string): string {
  const nonce = /nonce-([A-Za-z0-9+/=_-]+)/.exec(html)?.[1];
  const withoutNonce = nonce ? html.split(nonce).join('') : html;
  return withoutNonce.replace(/<time datetime="[^"]*">[^<]*<\/time>/g, '<time></time>');
}

/** A fresh nonce for every render: a page's nonce must not be guessable from an earlier one. */
function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A page of our own for when there is no report to show (server starting, stopped, or the
 * request failed): a message instead of a blank panel, under the same policy as the report.
 */
function messagePage(nonce: string, title: string, message: string, detail?: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${REPORT_TITLE}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 1.5em 2em; max-width: 50em; }
  h1 { font-size: 1.4em; font-weight: 600; }
  .detail { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-descriptionForeground); background: var(--vscode-textCodeBlock-background); padding: 0.6em 0.8em; white-space: pre-wrap; overflow-wrap: anywhere; }
  a { color: var(--vscode-textLink-foreground); }
  a:hover { color: var(--vscode-textLink-activeForeground); }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="message">${escapeHtml(message)}</p>
${detail ? `<pre class="detail">${escapeHtml(detail)}</pre>` : ''}
<p><a href="command:throughline.openReport">Try again</a> · <a href="command:throughline.restartServer">Restart the server</a> · the "Throughline" output has the server's log.</p>
</body>
</html>`;
}

export class StrategyReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The alignment changed while the panel was hidden: render when it shows again. */
  private stale = false;
  /**
   * One render at a time: a large workspace's report can take longer than the pause between two
   * alignment changes, and requests sent meanwhile would queue up on the server. Changes that
   * arrive during a render ask for one more render after it.
   */
  private rendering: Promise<void> | undefined;
  private renderAgain = false;
  /** What the panel shows, without its nonce and time stamps, to skip re-renders that change nothing. */
  private shownContent: string | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Opens the panel, or reveals the open one, and renders the report afresh. */
  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn);
      await this.render();
      return;
    }
    // Beside the document being edited, so that the report can be watched following the edits.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, REPORT_TITLE, column, {
      enableScripts: false,
      localResourceRoots: [],
      enableCommandUris: LINKED_COMMANDS,
      enableFindWidget: true,
    });
    panel.iconPath = { light: svgUri(TAB_ICON_SVG('#424242')), dark: svgUri(TAB_ICON_SVG('#c5c5c5')) };
    this.panel = panel;
    const shown = panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.visible && this.stale) void this.render();
    });
    panel.onDidDispose(() => {
      shown.dispose();
      if (this.panel === panel) this.panel = undefined;
      this.stale = false;
    });
    panel.webview.html = messagePage(createNonce(), REPORT_TITLE, 'Making the report…');
    this.shownContent = undefined;
    await this.render();
  }

  /** The alignment changed: render now when the panel is visible, otherwise when it is shown again. */
  refresh(): void {
    if (!this.panel) return;
    if (this.panel.visible) void this.render();
    else this.stale = true;
  }

  private render(): Promise<void> {
    if (this.rendering) {
      this.renderAgain = true;
      return this.rendering;
    }
    this.rendering = (async () => {
      do {
        this.renderAgain = false;
        const panel = this.panel;
        if (!panel) return;
        this.stale = false;
        const html = await this.reportHtml(panel.webview);
        // Closed (or closed and opened anew) while the server worked: that page is gone.
        if (this.panel !== panel) continue;
        // Setting the HTML reloads the page: it jumps to the top and may take the focus. Not for nothing.
        const content = reportContent(html);
        if (content === this.shownContent) continue;
        this.shownContent = content;
        panel.webview.html = html;
      } while (this.renderAgain);
    })().finally(() => {
      this.rendering = undefined;
    });
    return this.rendering;
  }

  private async reportHtml(webview: vscode.Webview): Promise<string> {
    const nonce = createNonce();
    const client = this.client();
    if (!client || client.state === State.Stopped) {
      return messagePage(nonce, 'The Throughline server is not running', 'There is no report without the server. Restart it, then try again.');
    }
    if (client.state === State.Starting) {
      // The caller re-renders when the server reports that it is running.
      return messagePage(nonce, 'The Throughline server is starting', 'The report appears here as soon as the workspace is indexed.');
    }
    try {
      // The report is of the workspace folder of the active editor, or of the first folder.
      const active = vscode.window.activeTextEditor?.document.uri;
      const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
      const params: StrategyReportRequest.Params = { theme: 'vscode', nonce, cspSource: webview.cspSource, uri: folder?.uri.toString() };
      const result: StrategyReportRequest.Result | null = await client.sendRequest(StrategyReportRequest.type, params);
      const html = result?.html;
      if (typeof html !== 'string' || html.trim() === '') throw new Error('the server sent an empty report');
      // A page without our policy would run with the webview's defaults: refuse it rather than show it.
      if (!/http-equiv=["']?Content-Security-Policy/i.test(html) || !html.includes(`'nonce-${nonce}'`)) {
        throw new Error('the report from the server has no Content-Security-Policy for this panel');
      }
      return html;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`Strategy report failed: ${message}`);
      return messagePage(nonce, 'The strategy report could not be made', 'Throughline could not get the report from its server:', message);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
