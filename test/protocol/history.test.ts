/**
 * Issue 13 over LSP: the real server reads the folder's git history in the background, after the
 * first diagnostics; suspect links arrive with `throughline/historyChanged`; the quick fix records the
 * review; a commit made while the server runs is folded in (`initial: false`). The repository is
 * built at fixed dates (test/helpers/gitRepo.ts). HEAD is polled every 200 ms here
 * (THROUGHLINE_HISTORY_POLL_MS), so the test does not wait the default 2 s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import type { HistoryChangedNotification } from '../../common/protocol';
import { createGitRepo, type GitRepo } from '../helpers/gitRepo';
import { PRD, STRATEGY } from '../helpers/historyFixtures';
import { applyEdits, copyExample, startClient, type LspClient } from './lspClient';

process.env.THROUGHLINE_HISTORY_POLL_MS = '200';

const HISTORY = 'throughline/historyChanged';
const PRD_FILE = 'prds/guest-checkout.md';

function suspects(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((diagnostic) => diagnostic.code === 'suspect-link' && diagnostic.severity !== 4)
    .map((diagnostic) => {
      const match = /^(\S+) changed after (\S+)'s link/.exec(diagnostic.message);
      return match ? `${match[2]}>${match[1]}` : diagnostic.message;
    })
    .sort();
}

describe('git history over LSP', () => {
  let repo: GitRepo;
  let client: LspClient;

  before(async () => {
    repo = createGitRepo('protocol');
    repo.write('strategy.md', STRATEGY);
    // REQ-1.3 traces nothing: the PRD has a problem before the history is read, so its first diagnostics are published then.
    repo.write(PRD_FILE, `${PRD}\n### REQ-1.3: Receipts\nPriority: could\n`);
    repo.commit('Initial strategy', '2026-09-01');
    const text = repo.read('strategy.md');
    repo.write('strategy.md', text.replace('### OUT-1: Payers complete payment without an account', '### OUT-1: Payers pay without signing up'));
    repo.commit('Sharpen OUT-1', '2026-10-03', 'Ana');
    client = await startClient({ folders: [repo.root] });
  });
  after(async () => {
    await client?.stop();
    repo?.dispose();
  });

  test('the first diagnostics do not wait for the history; suspect links arrive with historyChanged', async () => {
    const params = (await client.waitForNotification(HISTORY)) as HistoryChangedNotification.Params;
    assert.equal(params.initial, true);
    assert.equal(params.commits, 2);
    assert.equal(params.head, repo.git('rev-parse', 'HEAD').trim());
    assert.equal(params.folder, repo.uri('').replace(/\/$/, ''));
    assert.equal(params.note, undefined);
    assert.ok(params.milliseconds >= 0);
    const methods = client.notifications.map((entry) => entry.method);
    assert.ok(methods.indexOf('throughline/alignmentChanged') < methods.indexOf(HISTORY), 'indexing was announced before the history was read');
    const prd = repo.uri(PRD_FILE);
    const published = client.publishLog.filter((entry) => entry.uri === prd);
    assert.ok(published.length >= 1);
    assert.ok(published[0]!.diagnostics.some((diagnostic) => diagnostic.code === 'untraced-requirement'));
    assert.deepEqual(suspects(published[0]!.diagnostics), [], 'the first diagnostics were published without the history');
    const diagnostics = await client.waitForDiagnostics(prd, (current) => suspects(current).length === 2);
    assert.deepEqual(suspects(diagnostics), ['PRD-1>OUT-1', 'REQ-1.1>OUT-1']);
  });

  test('the quick fix records the review, and applied, the diagnostic clears', async () => {
    const prd = repo.uri(PRD_FILE);
    const text = repo.read(PRD_FILE);
    await client.open(prd, text);
    const diagnostics = await client.waitForDiagnostics(prd, (current) => suspects(current).length === 2);
    const diagnostic = diagnostics.find((candidate) => candidate.code === 'suspect-link' && candidate.message.startsWith("OUT-1 changed after REQ-1.1's"))!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: prd },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const confirm = actions.find((action) => action.title === 'Confirm REQ-1.1 still serves OUT-1');
    assert.ok(confirm, actions.map((action) => action.title).join(' | '));
    const edits = confirm.edit?.changes?.[prd];
    assert.ok(edits && edits.length === 1);
    const fixed = applyEdits(text, edits);
    assert.ok(fixed.includes('Traces: OUT-1\nPriority: must\nReviewed: OUT-1 2026-11-22\n'), fixed);
    await client.change(prd, [{ text: fixed }]);
    const after = await client.waitForDiagnostics(prd, (current) => suspects(current).length === 1);
    assert.deepEqual(suspects(after), ['PRD-1>OUT-1']);
  });

  test('a commit made while the server runs is folded in, and a newly suspect link appears', async () => {
    const since = client.notifications.length;
    const strategy = repo.read('strategy.md');
    repo.write('strategy.md', strategy.replace('### OUT-2: Payers pay with the method they already use', '### OUT-2: Payers pay with any card or wallet'));
    const sha = repo.commit('Sharpen OUT-2', '2026-10-10', 'Ana');
    const params = (await client.waitForNotification(HISTORY, since)) as HistoryChangedNotification.Params;
    assert.equal(params.initial, false);
    assert.equal(params.commits, 1);
    assert.equal(params.head, sha);
    const prd = repo.uri(PRD_FILE);
    const diagnostics = await client.waitForDiagnostics(prd, (current) => suspects(current).includes('REQ-1.2>OUT-2'));
    assert.deepEqual(suspects(diagnostics), ['PRD-1>OUT-1', 'PRD-1>OUT-2', 'REQ-1.2>OUT-2']);
    assert.ok(diagnostics.some((diagnostic) => diagnostic.message.includes(`on 2026-10-10 in ${sha.slice(0, 7)} (Ana: Sharpen OUT-2)`)));
  });

  test('shutdown stops the polling: the server exits cleanly', async () => {
    const code = await client.stop();
    assert.equal(code, 0);
  });
});

describe('no history over LSP', () => {
  test('a folder outside any repository: one log line and historyChanged with a note, no error', async () => {
    const workspace = await copyExample(undefined, 'nohistory');
    const client = await startClient({ folders: [workspace.root] });
    try {
      const params = (await client.waitForNotification(HISTORY)) as HistoryChangedNotification.Params;
      assert.equal(params.initial, true);
      assert.equal(params.commits, 0);
      assert.match(params.note ?? '', /^No history: /);
      assert.equal(client.logs.filter((line) => /No history/.test(line)).length, 1);
      assert.doesNotMatch(client.stderr, /Error/);
    } finally {
      await client.stop();
      await workspace.dispose();
    }
  });
});
