// Runs inside the VS Code extension host (plain CommonJS: VS Code loads it with require).
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

async function waitFor(predicate, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

exports.run = async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const prd = vscode.Uri.joinPath(folder, 'prds/guest-checkout.md');
  await vscode.window.showTextDocument(prd);
  const diagnostics = await waitFor(() => {
    const found = vscode.languages.getDiagnostics(prd);
    return found.length ? found : undefined;
  });
  assert.ok(diagnostics.some((diagnostic) => diagnostic.code === 'untraced-requirement'), 'REQ-1.4 is reported as untraced');
  const strategy = vscode.Uri.joinPath(folder, 'strategy/payments-2027-h1.md');
  await waitFor(() => vscode.languages.getDiagnostics(strategy).some((diagnostic) => diagnostic.code === 'orphan-outcome'));
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', prd, new vscode.Position(31, 10));
  assert.ok(hovers.length > 0, `hover on a reference answers (${path.basename(prd.fsPath)})`);
};
