/**
 * Alignment rules on the strategy side: orphan-outcome, unsupported-outcome,
 * objective-without-outcomes and unmeasurable-key-result.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

describe('orphan-outcome', () => {
  const strategy = md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Objective one
    ### OUT-1: Delivered
    Supports: OBJ-1
    ### OUT-2: Nothing delivers this
    Supports: OBJ-1
  `;

  test('an outcome no requirement traces to is a warning on its ID', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    const diagnostics = t.diagnosticsOf('s.md', 'orphan-outcome');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(7, 4, 9));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0]!.message, 'No requirement traces to OUT-2: nothing delivers this outcome yet.');
  });

  test('deleting the only tracing PRD makes the outcome an orphan; restoring it clears the warning', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    assert.equal(t.diagnosticsOf('s.md', 'orphan-outcome').length, 1);
    t.workspace.delete('p.md');
    const impact = await t.service.fileDeleted(t.uri('p.md'));
    assert.ok(impact.affectedUris.has(t.uri('s.md')));
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'orphan-outcome').map((diagnostic) => diagnostic.range),
      [range(5, 4, 9), range(7, 4, 9)],
    );
    t.workspace.set('p.md', MINI_PRD);
    await t.service.fileChanged(t.uri('p.md'));
    assert.equal(t.diagnosticsOf('s.md', 'orphan-outcome').length, 1);
  });

  test('near miss: a trace from a list-item requirement in another folder counts', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-9
      ---
      - REQ-9: Nine
        Priority: must
        Traces: OUT-1, OUT-2
    `;
    const t = await createService({ 's.md': strategy, 'deep/er/p.md': prd });
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), []);
  });
});

describe('unsupported-outcome', () => {
  test('an outcome without Supports is a warning with a hint', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      ### OUT-1: Floating
      Owner: someone
    `;
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    const diagnostics = t.diagnosticsOf('s.md', 'unsupported-outcome');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(5, 4, 9));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0]!.message, 'OUT-1 supports no objective or key result: add a `Supports: OBJ-…` line below it.');
  });

  test('Supports naming only unknown or wrong-kind items gets the other message', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      - OUT-1: Unknown target
        Supports: OBJ-9
      - OUT-2: Wrong kind
        Supports: OUT-1
    `;
    const t = await createService({ 's.md': strategy });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'unsupported-outcome').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [
        [range(4, 2, 7), 'OUT-1 supports no existing objective or key result.'],
        [range(6, 2, 7), 'OUT-2 supports no existing objective or key result.'],
      ],
    );
  });

  test('near misses: supporting an objective or a key result in another file', async () => {
    const outcomes = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-5: Supports an objective elsewhere
      Supports: OBJ-1
      ### OUT-6: Supports a key result elsewhere
      Supports: KR-1.1
      ### OUT-7: One unknown target and one real one
      Supports: OBJ-404, KR-1.1
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'o.md': outcomes, 'p.md': MINI_PRD });
    assert.deepEqual(t.diagnosticsOf('o.md', 'unsupported-outcome'), []);
  });
});

describe('objective-without-outcomes', () => {
  test('an objective no outcome supports is a warning on its ID', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Supported
      ### OUT-1: Outcome
      Supports: OBJ-1

      ## OBJ-2: Nothing supports this
      - KR-2.1: Unsupported key result
        Baseline: 1
        Target: 2
        Due: 2027-01-01
    `;
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    const diagnostics = t.diagnosticsOf('s.md', 'objective-without-outcomes');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(8, 3, 8));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0]!.message, 'No outcome supports OBJ-2 or any of its key results.');
  });

  test('near miss: an outcome supporting one of its key results from another file', async () => {
    const objectives = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      - KR-1.1: Key result
        Baseline: 1
        Target: 2
        Due: 2027-01-01
    `;
    const outcomes = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-1: Outcome
      Supports: KR-1.1
    `;
    const t = await createService({ 's.md': objectives, 'o.md': outcomes, 'p.md': MINI_PRD });
    assert.deepEqual(t.diagnosticsOf('s.md', 'objective-without-outcomes'), []);
  });

  test('moving the supported key result under another objective moves the warning', async () => {
    const keyResult = '- KR-1.1: Moves\n  Baseline: 1\n  Target: 2\n  Due: 2027-01-01\n';
    const head = '---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: First\n';
    const second = '## OBJ-2: Second\n- KR-2.1: Stays\n  Baseline: 1\n  Target: 2\n  Due: 2027-01-01\n';
    const outcomes = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-1: Outcome
      Supports: KR-1.1
    `;
    const t = await createService({ 's.md': head + keyResult + second, 'o.md': outcomes, 'p.md': MINI_PRD });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'objective-without-outcomes').map((diagnostic) => diagnostic.message),
      ['No outcome supports OBJ-2 or any of its key results.'],
    );
    t.open('s.md', head + second + keyResult);
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'objective-without-outcomes').map((diagnostic) => diagnostic.message),
      ['No outcome supports OBJ-1 or any of its key results.'],
    );
  });
});

describe('unmeasurable-key-result', () => {
  test('a key result missing everything gets one warning listing all three', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      - KR-1.1: Security review pass rate
        Metric: questionnaires passed
        Target: most of them
        Due: end of Q2
    `;
    const t = await createService({ 's.md': strategy });
    const diagnostics = t.diagnosticsOf('s.md', 'unmeasurable-key-result');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(5, 2, 8));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0]!.message, 'KR-1.1 is not measurable: it needs a numeric `Baseline:`, a numeric `Target:` and a `Due:` date (YYYY-MM-DD).');
  });

  test('the message lists only what is missing; impossible dates are not dates', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      - KR-1.1: Only the date is wrong
        Baseline: 10
        Target: 20
        Due: 2027-02-30
      - KR-1.2: Target and date missing
        Baseline: 10
      ### KR-1.3: A heading key result without a baseline
      Target: 5
      Due: 2027-06-30
    `;
    const t = await createService({ 's.md': strategy });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'unmeasurable-key-result').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [
        [range(5, 2, 8), 'KR-1.1 is not measurable: it needs a `Due:` date (YYYY-MM-DD).'],
        [range(9, 2, 8), 'KR-1.2 is not measurable: it needs a numeric `Target:` and a `Due:` date (YYYY-MM-DD).'],
        [range(11, 4, 10), 'KR-1.3 is not measurable: it needs a numeric `Baseline:`.'],
      ],
    );
  });

  test('near misses: units, currencies, comparison signs, lower-case keys', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      - KR-1.1: Percentages
        Baseline: 41%
        Target: 55%
        Due: 2027-06-30
      - KR-1.2: Currency with thousands separators
        Baseline: $1,200
        Target: $2,500.50
        Due: 2028-02-29
      - KR-1.3: Units and comparisons
        baseline: 38 min
        target: ≤ 10 min
        due: 2027-12-31
      - KR-1.4: Negative and decimal
        Baseline: -5
        Target: .5
        Due: 2027-01-01
    `;
    const t = await createService({ 's.md': strategy });
    assert.deepEqual(t.diagnosticsOf('s.md', 'unmeasurable-key-result'), []);
  });
});
