/**
 * dependency-cycle: requirements that depend on each other in a loop through `Depends on:`, in one
 * PRD or across PRDs. Each fixture checks code, severity, exact range and message; near misses
 * (a chain without a loop, `Depends on:` naming an outcome) report nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

const prd = (id: string, requirements: string) => `---\ntype: prd\nid: ${id}\noutcomes: [OUT-1]\n---\n${requirements}`;

describe('dependency-cycle', () => {
  test('two requirements depending on each other in one PRD: an error on each link, with the docs link', async () => {
    const text = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1]
      ---
      ### REQ-1: Pay by card
      Traces: OUT-1
      Depends on: REQ-2
      ### REQ-2: Store the card
      Traces: OUT-1
      Depends on: REQ-3, REQ-1
      ### REQ-3: Vault
      Traces: OUT-1
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': text });
    const diagnostics = t.diagnosticsOf('p.md', 'dependency-cycle');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.severity, diagnostic.message]),
      [
        [range(7, 12, 17), DiagnosticSeverity.Error, 'This dependency closes a cycle between REQ-1, REQ-2.'],
        [range(10, 19, 24), DiagnosticSeverity.Error, 'This dependency closes a cycle between REQ-1, REQ-2.'],
      ],
    );
    assert.equal(diagnostics[0]!.codeDescription?.href, 'https://github.com/throughline/throughline/blob/main/docs/format.md#rule-dependency-cycle');
  });

  test('a cycle across PRDs is reported in each PRD, on its own link', async () => {
    const t = await createService({
      's.md': MINI_STRATEGY,
      'a.md': prd('PRD-1', '### REQ-1: One\nTraces: OUT-1\nDepends on: REQ-2\n'),
      'b.md': prd('PRD-2', '### REQ-2: Two\nTraces: OUT-1\nDepends on: REQ-3\n'),
      'c.md': prd('PRD-3', '- REQ-3: Three\n  Traces: OUT-1\n  Depends on: REQ-1\n'),
    });
    assert.deepEqual(
      t.diagnosticsOf('a.md', 'dependency-cycle').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [[range(7, 12, 17), 'This dependency closes a cycle between REQ-1, REQ-2, REQ-3.']],
    );
    assert.deepEqual(
      t.diagnosticsOf('b.md', 'dependency-cycle').map((diagnostic) => diagnostic.range),
      [range(7, 12, 17)],
    );
    assert.deepEqual(
      t.diagnosticsOf('c.md', 'dependency-cycle').map((diagnostic) => diagnostic.range),
      [range(7, 14, 19)],
    );
  });

  test('a requirement depending on itself', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd('PRD-1', '### REQ-1: One\nTraces: OUT-1\nDepends on: REQ-1\n') });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'dependency-cycle').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [[range(7, 12, 17), 'REQ-1 depends on itself.']],
    );
  });

  test('a long cycle names at most 10 members and counts the rest', async () => {
    const count = 25;
    const requirements = Array.from(
      { length: count },
      (_, index) => `### REQ-${index + 1}: R\nTraces: OUT-1\nDepends on: REQ-${((index + 1) % count) + 1}\n`,
    ).join('');
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd('PRD-1', requirements) });
    const diagnostics = t.diagnosticsOf('p.md', 'dependency-cycle');
    assert.equal(diagnostics.length, count);
    assert.equal(
      diagnostics[0]!.message,
      'This dependency closes a cycle of 25 requirements: REQ-1, REQ-10, REQ-11, REQ-12, REQ-13, REQ-14, REQ-15, REQ-16, REQ-17, REQ-18 and 15 more.',
    );
  });

  test('near misses: a chain without a loop, a link to an outcome, and `off` report nothing', async () => {
    const chain = prd(
      'PRD-1',
      '### REQ-1: One\nTraces: OUT-1\nDepends on: REQ-2\n### REQ-2: Two\nTraces: OUT-1\nDepends on: REQ-3\n### REQ-3: Three\nTraces: OUT-1\n',
    );
    assert.deepEqual((await createService({ 's.md': MINI_STRATEGY, 'p.md': chain })).diagnosticsOf('p.md', 'dependency-cycle'), []);
    // OUT-1 is no requirement: `Depends on: OUT-1` is no dependency, even where OUT-1 would close a loop.
    const outcome = prd('PRD-1', '### REQ-1: One\nTraces: OUT-1\nDepends on: OUT-1\n');
    assert.deepEqual((await createService({ 's.md': MINI_STRATEGY, 'p.md': outcome })).diagnosticsOf('p.md', 'dependency-cycle'), []);
    const loop = prd('PRD-1', '### REQ-1: One\nTraces: OUT-1\nDepends on: REQ-2\n### REQ-2: Two\nTraces: OUT-1\nDepends on: REQ-1\n');
    const off = await createService({ '.throughline.yml': 'rules:\n  dependency-cycle: off\n', 's.md': MINI_STRATEGY, 'p.md': loop });
    assert.deepEqual(off.diagnosticsOf('p.md', 'dependency-cycle'), []);
    assert.deepEqual(off.diagnostics('p.md'), []);
  });
});
