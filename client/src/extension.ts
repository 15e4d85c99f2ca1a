import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ID_SOURCE, WHOLE_ID } from '../../common/idGrammar';
import { plural } from '../../common/wording';
import { AlignmentChangedNotification, CoverageRequest, NextIdRequest, PEEK_REFERENCES_COMMAND } from '../../common/protocol';
import { AlignmentTreeProvider, hasDocuments, treeAsMarkdown, type TreeFilter } from './alignmentTree';
import { OPEN_LOCATION_COMMAND, openLocation, StrategyReportPanel } from './reportPanel';
import { createLanguageClient } from './serverClient';
import { CoverageStatusBar, coverageSummary } from './statusBar';
import { DEFAULT_FOLDER, documentTemplate, slugify, starterSet, type DocumentKind } from './templates';

const TREE_REFRESH_DEBOUNCE_MS = 300;
const ID_AT_CURSOR = new RegExp(ID_SOURCE);

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Throughline', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);

  const statusBar = new CoverageStatusBar();
  context.subscriptions.push(statusBar);
  const tree = new AlignmentTreeProvider(
    () => client,
    (loaded) => void vscode.commands.executeCommand('setContext', 'throughline.hasDocuments', hasDocuments(loaded)),
    (message) => output.error(message),
  );
  const treeView = vscode.window.createTreeView('throughline.alignment', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(treeView);
  const report = new StrategyReportPanel(() => client, output);
  context.subscriptions.push(report);

  const refreshCoverage = async () => {
    if (!client?.isRunning()) return;
    // The counts only: the objectives' progress is not shown here (and is 1.2 KB per objective).
    const coverage = await client.sendRequest(CoverageRequest.type, { progress: false });
    statusBar.update(coverage);
    const untraced = coverage.requirements - coverage.tracedRequirements;
    treeView.badge = untraced > 0 ? { value: untraced, tooltip: plural(untraced, 'untraced requirement') } : undefined;
  };

  // The server says when the alignment may have changed; typing fires that often, so refresh at most every 300 ms.
  let refreshTimer: NodeJS.Timeout | undefined;
  const scheduleRefresh = () => {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      tree.refresh();
      report.refresh();
      refreshCoverage().catch((error: unknown) => output.error(`Coverage request failed: ${String(error)}`));
    }, TREE_REFRESH_DEBOUNCE_MS);
  };
  context.subscriptions.push({ dispose: () => refreshTimer && clearTimeout(refreshTimer) });

  const requireClient = (): LanguageClient | undefined => {
    if (client?.state === State.Running) return client;
    void vscode.window.showErrorMessage(
      'The Throughline server is not running. Run "Throughline: Restart Server", and see the "Throughline" output for its log.',
    );
    return undefined;
  };

  const register = (command: string, handler: (...args: never[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(command, async (...args: never[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          output.error(`${command} failed: ${message}`);
          void vscode.window.showErrorMessage(`Throughline: ${message}`);
          return undefined;
        }
      }),
    );

  register('throughline.refreshTree', () => scheduleRefresh());
  register('throughline.filterTree', async () => {
    const filter = await pickFilter(tree);
    if (filter === undefined) return;
    tree.setFilter(filter ?? undefined);
    treeView.description = filter ? `filtered: ${filter.field === 'problems' ? 'only problems' : `${filter.field} = ${filter.value}`}` : undefined;
    await vscode.commands.executeCommand('setContext', 'throughline.treeFiltered', filter !== null);
  });
  register('throughline.clearTreeFilter', async () => {
    tree.setFilter(undefined);
    treeView.description = undefined;
    await vscode.commands.executeCommand('setContext', 'throughline.treeFiltered', false);
  });
  register('throughline.revealInTree', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Throughline: open a strategy document and put the cursor on an ID to reveal it.');
      return;
    }
    const range = editor.document.getWordRangeAtPosition(editor.selection.active, ID_AT_CURSOR);
    if (!range) {
      void vscode.window.showWarningMessage('Throughline: the cursor is not on an ID such as OUT-3.');
      return;
    }
    const id = editor.document.getText(range);
    if (tree.activeFilter) tree.setFilter(undefined);
    const node = await tree.find(id);
    if (!node) {
      void vscode.window.showWarningMessage(`Throughline: ${id} is not in the alignment tree.`);
      return;
    }
    await treeView.reveal(node, { select: true, focus: true, expand: true });
  });
  register('throughline.showCoverage', async () => {
    const running = requireClient();
    if (!running) return;
    const coverage = await running.sendRequest(CoverageRequest.type, { progress: false });
    const choice = await vscode.window.showInformationMessage(coverageSummary(coverage), 'Open Alignment Tree');
    if (choice) await vscode.commands.executeCommand('throughline.alignment.focus');
  });
  register('throughline.openReport', () => report.show());
  register(OPEN_LOCATION_COMMAND, (target: unknown, line?: unknown, column?: unknown) => openLocation(target, line, column));
  register('throughline.restartServer', async () => {
    if (!client) return;
    output.info('Restarting the Throughline server.');
    await (client.isRunning() ? client.restart() : client.start());
    scheduleRefresh();
  });
  register('throughline.copyTreeAsMarkdown', async () => {
    if (!requireClient()) return;
    const loaded = await tree.tree();
    if (!loaded) throw new Error('the alignment tree is not available yet');
    await vscode.env.clipboard.writeText(treeAsMarkdown(loaded));
    void vscode.window.showInformationMessage('Throughline: alignment tree copied as Markdown.');
  });
  register(
    PEEK_REFERENCES_COMMAND,
    async (
      uri: string,
      position: { line: number; character: number },
      locations: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[],
    ) => {
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        new vscode.Position(position.line, position.character),
        locations.map(
          (location) =>
            new vscode.Location(
              vscode.Uri.parse(location.uri),
              new vscode.Range(location.range.start.line, location.range.start.character, location.range.end.line, location.range.end.character),
            ),
        ),
      );
    },
  );
  for (const kind of ['vision', 'strategy', 'prd'] as const)
    register(`throughline.new${kind === 'prd' ? 'Prd' : kind[0]!.toUpperCase() + kind.slice(1)}`, () => newDocument(kind, requireClient));
  register('throughline.createStarterSet', () => createStarterSet());

  client.onDidChangeState((event) => {
    if (event.newState === State.Running) scheduleRefresh();
    // An open report says that the server stopped rather than show figures nothing updates any more.
    else if (event.newState === State.Stopped) report.refresh();
  });
  await client.start();
  context.subscriptions.push(client.onNotification(AlignmentChangedNotification.type, () => scheduleRefresh()));
  scheduleRefresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** Returns a filter, `null` to clear, or undefined when the user cancelled. */
async function pickFilter(tree: AlignmentTreeProvider): Promise<TreeFilter | null | undefined> {
  const field = await vscode.window.showQuickPick(
    [
      { label: 'Owner', value: 'owner' as const },
      { label: 'Status', value: 'status' as const },
      { label: 'PRD', value: 'prd' as const },
      { label: 'Only problems', value: 'problems' as const },
      { label: 'Clear filter', value: 'clear' as const },
    ],
    { title: 'Filter the alignment tree by' },
  );
  if (!field) return undefined;
  if (field.value === 'clear') return null;
  if (field.value === 'problems') return { field: 'problems' };
  const loaded = await tree.tree();
  const values = new Set<string>();
  const walk = (nodes: NonNullable<typeof loaded>['roots']) => {
    for (const node of nodes) {
      const value = field.value === 'owner' ? node.owner : field.value === 'status' ? node.status : node.kind === 'prd' ? node.id : undefined;
      if (value) values.add(value);
      walk(node.children);
    }
  };
  walk(loaded?.roots ?? []);
  if (values.size === 0) {
    void vscode.window.showInformationMessage(`Throughline: no item has a ${field.label.toLowerCase()} to filter by.`);
    return undefined;
  }
  const value = await vscode.window.showQuickPick([...values].sort(), { title: `Show items with ${field.label.toLowerCase()}` });
  return value ? { field: field.value, value } : undefined;
}

function targetFolder(): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders;
  if (!folders?.length) {
    void vscode.window.showErrorMessage('Throughline: open a folder first; new documents are created inside the workspace folder.');
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) ?? folders[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function newDocument(kind: DocumentKind, requireClient: () => LanguageClient | undefined): Promise<void> {
  const folder = targetFolder();
  if (!folder) return;
  const running = requireClient();
  if (!running) return;
  const proposed = (await running.sendRequest(NextIdRequest.type, { kind, uri: folder.uri.toString() }))?.id ?? '';
  const label = kind === 'prd' ? 'PRD' : kind;
  const id = await vscode.window.showInputBox({
    title: `New ${label}: ID`,
    value: proposed,
    prompt: 'A unique ID such as PRD-12',
    validateInput: (value) => (WHOLE_ID.test(value.trim()) ? undefined : 'Use an uppercase prefix, "-", then letters or digits, e.g. PRD-12'),
  });
  if (!id) return;
  const title = await vscode.window.showInputBox({
    title: `New ${label}: title`,
    prompt: 'What is it called?',
    validateInput: (value) => (value.trim() ? undefined : 'A title is required'),
  });
  if (!title) return;
  const relative = [DEFAULT_FOLDER[kind], `${slugify(title)}.md`].filter(Boolean).join('/');
  const uri = vscode.Uri.joinPath(folder.uri, relative);
  if (await exists(uri)) {
    void vscode.window.showErrorMessage(`Throughline: ${relative} already exists; choose another title.`);
    return;
  }
  await writeThroughEditor([{ uri, text: documentTemplate(kind, id.trim(), title.trim()) }]);
  await vscode.window.showTextDocument(uri);
}

async function createStarterSet(): Promise<void> {
  const folder = targetFolder();
  if (!folder) return;
  const files = starterSet().map((file) => ({ uri: vscode.Uri.joinPath(folder.uri, file.path), text: file.text }));
  for (const file of files) {
    if (await exists(file.uri)) {
      void vscode.window.showErrorMessage(`Throughline: ${vscode.workspace.asRelativePath(file.uri)} already exists; the starter set was not created.`);
      return;
    }
  }
  await writeThroughEditor(files);
  await vscode.window.showTextDocument(files[2]!.uri);
}

/** Creates files with a workspace edit, so the editor can undo it, then saves them. */
async function writeThroughEditor(files: { uri: vscode.Uri; text: string }[]): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const file of files) {
    edit.createFile(file.uri, { ignoreIfExists: false });
    edit.insert(file.uri, new vscode.Position(0, 0), file.text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the editor refused to create the files');
  for (const file of files) {
    const document = await vscode.workspace.openTextDocument(file.uri);
    await document.save();
  }
}
