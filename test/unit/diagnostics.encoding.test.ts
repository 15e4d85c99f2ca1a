/**
 * The encoding rule (files the host could only read with replacement characters) and files the
 * host cannot read at all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, range } from '../helpers/memoryWorkspace';

const WARNING = 'This file is not valid UTF-8: invalid bytes were read as \uFFFD. Save it as UTF-8.';

describe('encoding', () => {
  test('a strategy document read with a decoding warning gets an error at the top of the file', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': { text: MINI_PRD.replace('Requirement one', 'Requirement \uFFFD'), warning: WARNING } });
    const diagnostics = t.diagnosticsOf('p.md', 'encoding');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.severity, diagnostic.message]),
      [[range(0, 0, 3), DiagnosticSeverity.Error, WARNING]],
    );
    assert.ok(t.service.graph.definition('REQ-1'), 'the file is still indexed');
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), [], 'and its traces still count');
  });

  test('the severity can be configured, and the rule switched off', async () => {
    const files = { 's.md': MINI_STRATEGY, 'p.md': { text: MINI_PRD, warning: WARNING } };
    const warning = await createService(files, { settings: { rules: { encoding: 'warning' } } });
    assert.deepEqual(
      warning.diagnosticsOf('p.md', 'encoding').map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
    );
    const off = await createService(files, { settings: { rules: { encoding: 'off' } } });
    assert.deepEqual(off.diagnosticsOf('p.md', 'encoding'), []);
  });

  test('near miss: a mis-encoded file without strategy front-matter is ignored', async () => {
    const t = await createService({ 'notes.md': { text: '# Notes \uFFFD\n', warning: WARNING } });
    assert.deepEqual(t.diagnostics('notes.md'), []);
    assert.deepEqual(t.service.diagnosticUris(), []);
  });

  test('near miss: a well-encoded file has no encoding problem', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    assert.deepEqual(t.diagnosticsOf('p.md', 'encoding'), []);
  });
});

describe('unreadable files', () => {
  test('are skipped and counted, the rest is indexed, and the reason is logged', async () => {
    const log: string[] = [];
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD, 'binary.md': { error: 'binary file (contains NUL bytes), not read' } }, { log });
    const summary = await t.service.initialize();
    assert.equal(summary.unreadable, 1);
    assert.equal(summary.documents, 2);
    assert.ok(
      log.some((line) => line.includes('binary.md') && line.includes('binary file')),
      log.join('\n'),
    );
    assert.deepEqual(t.diagnostics('binary.md'), []);
  });

  test('a workspace whose readFile throws does not take the service down', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    const original = t.workspace.readFile.bind(t.workspace);
    t.workspace.readFile = async (uri) => {
      if (uri.endsWith('/p.md')) throw new Error('EIO: i/o error');
      return original(uri);
    };
    const summary = await t.service.initialize();
    assert.equal(summary.unreadable, 1);
    assert.ok(t.service.graph.definition('OUT-1'));
  });
});
