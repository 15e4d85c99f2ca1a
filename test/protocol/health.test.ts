/**
 * The strategy-health requests of the real server process: throughline/portfolio and
 * throughline/report (the HTML the VS Code webview shows), and the health diagnostics arriving
 * over the wire with their codes and severities.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { Portfolio } from '../../common/protocol';
import { byCode, copyExample, hasCode, startClient, type LspClient, type TempWorkspace } from './lspClient';

const STRATEGY = 'strategy/payments-2027-h1.md';
const REFUNDS = 'prds/refund-permissions.md';

describe('strategy health over LSP', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

  before(async () => {
    workspace = await copyExample(undefined, 'health');
    client = await startClient({ folders: [workspace.root] });
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('innovation-mix-drift'));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('health diagnostics arrive with their codes and severities (THROUGHLINE_TODAY pins the date)', async () => {
    const refunds = await client.waitForDiagnostics(workspace.uri(REFUNDS), hasCode('stale-document'));
    const severity = (diagnostics: Diagnostic[], code: string) => byCode(diagnostics, code).map((diagnostic) => diagnostic.severity);
    assert.deepEqual(severity(refunds, 'stale-document'), [3]);
    assert.deepEqual(severity(refunds, 'deprecated-target'), [2, 2, 2]);
    const strategy = await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('key-result-target'));
    assert.deepEqual(severity(strategy, 'key-result-target'), [1]);
    assert.deepEqual(severity(strategy, 'output-key-result'), [3]);
  });

  test('throughline/portfolio counts the PRDs and their requirements per dimension', async () => {
    const portfolio = await client.request<Portfolio>('throughline/portfolio', {});
    assert.equal(portfolio.prds, 4);
    assert.equal(portfolio.requirements, 13);
    const innovation = portfolio.dimensions.find((dimension) => dimension.name === 'innovation')!;
    // PRD-1 (4 requirements), PRD-3 (3) and PRD-4 (2) are core; PRD-2 (4) is adjacent.
    assert.deepEqual(innovation.buckets, [
      { value: 'core', prds: 3, requirements: 9 },
      { value: 'adjacent', prds: 1, requirements: 4 },
      { value: 'disruptive', prds: 0, requirements: 0 },
    ]);
    // Every PRD delivers an outcome of STR-1 and declares innovation: 3 of 4 are core.
    assert.deepEqual(portfolio.innovationTargets, [
      {
        strategyId: 'STR-1',
        mix: { core: 50, adjacent: 30, disruptive: 20 },
        actual: { core: 75, adjacent: 25, disruptive: 0 },
        declared: 4,
        undeclared: 0,
        tolerance: 10,
      },
    ]);
  });

  test('throughline/report: the vscode theme carries a CSP for the given nonce and the theme variables; standalone has none', async () => {
    const nonce = 'aBcD1234efGH5678ijKL9012';
    const { html } = await client.request<{ html: string }>('throughline/report', { theme: 'vscode', nonce, cspSource: 'vscode-webview://test' });
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, new RegExp(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'`));
    assert.match(html, new RegExp(`<style nonce="${nonce}">`));
    assert.match(html, /var\(--vscode-foreground/);
    assert.doesNotMatch(html, /<script/i);
    for (const id of ['OBJ-1', 'OBJ-2', 'OBJ-3', 'OBJ-4']) assert.ok(html.includes(`data-id="${id}"`), id);
    const standalone = await client.request<{ html: string }>('throughline/report', { theme: 'standalone' });
    assert.doesNotMatch(standalone.html, /Content-Security-Policy/);
    assert.doesNotMatch(standalone.html, /--vscode-/);
  });

  test('the report follows an edit that is only in the editor', async () => {
    const uri = workspace.uri('prds/guest-checkout.md');
    const text = await readFile(workspace.path('prds/guest-checkout.md'), 'utf8');
    const before = (await client.request<{ html: string }>('throughline/report', { theme: 'standalone' })).html;
    assert.match(before, /10 of 13 requirements/);
    await client.open(uri, text.replace('### REQ-1.4: Show a receipt page after payment\n', '### REQ-1.4: Show a receipt page after payment\nTraces: OUT-1\n'));
    await client.waitForDiagnostics(uri, (diagnostics) => byCode(diagnostics, 'untraced-requirement').length === 0);
    const after = (await client.request<{ html: string }>('throughline/report', { theme: 'standalone' })).html;
    assert.match(after, /11 of 13 requirements/);
  });
});
