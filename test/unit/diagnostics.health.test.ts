/**
 * Strategy-health rules: each has a fixture that triggers it and near misses that must not, and
 * its thresholds are configurable in `.throughline.yml` / settings.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { createService, md, range, rangeOf } from '../helpers/memoryWorkspace';

/** A strategy whose objective has the given key-result lines (each a `- KR-…` list item with measures). */
function strategyWith(keyResults: string, extraFrontMatter = ''): string {
  return `---
type: strategy
id: STR-1
period: 2027-H1
${extraFrontMatter}---
## OBJ-1: Make paying effortless

${keyResults}
### OUT-1: Payers pay without an account
Supports: OBJ-1
`;
}

const keyResult = (id: string, title: string, measures = 'Baseline: 10%\n  Target: 20%\n  Due: 2027-06-30') => `- ${id}: ${title}\n  ${measures}\n`;
const TWO_KEY_RESULTS = keyResult('KR-1', 'Conversion rate') + keyResult('KR-2', 'Time to pay', 'Baseline: 38 min\n  Target: 10 min\n  Due: 2027-06-30');

describe('key-result-count', () => {
  test('an objective with one key result is a warning on the objective', async () => {
    const text = strategyWith(keyResult('KR-1', 'Conversion rate'));
    const t = await createService({ 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'key-result-count');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, rangeOf(text, 'OBJ-1'));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0]!.message, 'OBJ-1 has 1 key result; an objective needs at least 2 to be tracked without diluting focus.');
  });

  test('six key results are too many', async () => {
    const six = [1, 2, 3, 4, 5, 6].map((n) => keyResult(`KR-${n}`, `Rate ${n}`)).join('');
    const t = await createService({ 's.md': strategyWith(six) });
    assert.match(t.diagnosticsOf('s.md', 'key-result-count')[0]!.message, /has 6 key results; an objective needs at most 5/);
  });

  test('near miss: two and five key results are fine', async () => {
    const five = [1, 2, 3, 4, 5].map((n) => keyResult(`KR-${n}`, `Rate ${n}`)).join('');
    for (const keyResults of [TWO_KEY_RESULTS, five]) {
      const t = await createService({ 's.md': strategyWith(keyResults) });
      assert.deepEqual(t.diagnosticsOf('s.md', 'key-result-count'), []);
    }
  });

  test('the bounds are configurable', async () => {
    const t = await createService({ 's.md': strategyWith(TWO_KEY_RESULTS) }, { settings: { thresholds: { keyResultsPerObjective: { min: 3 } } } });
    assert.match(t.diagnosticsOf('s.md', 'key-result-count')[0]!.message, /has 2 key results; an objective needs at least 3/);
    const relaxed = await createService(
      { 's.md': strategyWith(keyResult('KR-1', 'Rate')) },
      { settings: { thresholds: { keyResultsPerObjective: { min: 1, max: 1 } } } },
    );
    assert.deepEqual(relaxed.diagnosticsOf('s.md', 'key-result-count'), []);
  });
});

describe('objective-count', () => {
  const objectives = (count: number) =>
    Array.from(
      { length: count },
      (_, n) => `## OBJ-${n + 1}: Objective ${n + 1}\n\n${keyResult(`KR-${n + 1}.1`, 'Rate a')}${keyResult(`KR-${n + 1}.2`, 'Rate b')}\n`,
    ).join('');
  const strategy = (count: number) => `---\ntype: strategy\nid: STR-1\nperiod: 2027-H1\n---\n${objectives(count)}`;

  test('six objectives in one strategy are a warning on its ID', async () => {
    const text = strategy(6);
    const t = await createService({ 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'objective-count');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, rangeOf(text, 'STR-1'));
    assert.equal(diagnostics[0]!.message, 'STR-1 has 6 objectives for 2027-H1; keep at most 5 so each gets real attention.');
  });

  test('near miss: five objectives are fine, and the limit is configurable', async () => {
    const t = await createService({ 's.md': strategy(5) });
    assert.deepEqual(t.diagnosticsOf('s.md', 'objective-count'), []);
    const strict = await createService({ 's.md': strategy(5) }, { settings: { thresholds: { objectivesPerStrategy: 4 } } });
    assert.equal(strict.diagnosticsOf('s.md', 'objective-count').length, 1);
  });
});

describe('output-key-result', () => {
  test('key results that start with an output verb are information on the key result', async () => {
    const text = strategyWith(
      keyResult('KR-1', 'Launch the reminders dashboard') + keyResult('KR-2', 'Shipped guest checkout') + keyResult('KR-3', 'Roll out wallets to 3 markets'),
    );
    const t = await createService({ 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'output-key-result');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range),
      ['KR-1', 'KR-2', 'KR-3'].map((id) => rangeOf(text, id)),
    );
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Information);
    assert.match(diagnostics[0]!.message, /^KR-1 reads as an output \("launch …"\), not a measurable change/);
    assert.match(diagnostics[2]!.message, /"roll out …"/);
  });

  test('near miss: outcomes that merely contain or resemble the verbs', async () => {
    const text = strategyWith(
      keyResult('KR-1', 'Delivery time of payouts') +
        keyResult('KR-2', 'Share of invoices shipped on time') +
        keyResult('KR-3', 'Builders retained after 30 days') +
        keyResult('KR-4', 'Run rate of payment volume') +
        keyResult('KR-5', 'Write-off rate') +
        keyResult('KR-6', 'Design partners live'),
    );
    const t = await createService({ 's.md': text });
    assert.deepEqual(t.diagnosticsOf('s.md', 'output-key-result'), []);
  });

  test('the word list is configurable', async () => {
    const text = strategyWith(keyResult('KR-1', 'Onboard 40 partners') + keyResult('KR-2', 'Launch the dashboard'));
    const t = await createService({ 's.md': text }, { settings: { thresholds: { outputVerbs: ['Onboard'] } } });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'output-key-result').map((diagnostic) => diagnostic.range),
      [rangeOf(text, 'KR-1')],
    );
  });
});

describe('key-result-target', () => {
  test('a target equal to the baseline is an error on the target', async () => {
    const text = strategyWith(keyResult('KR-1', 'Conversion rate', 'Baseline: 40%\n  Target: 40%\n  Due: 2027-06-30') + keyResult('KR-2', 'Rate'));
    const t = await createService({ 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'key-result-target');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, rangeOf(text, '40%', 1));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostics[0]!.message, 'KR-1: the target equals the baseline (40%), so there is no change to measure.');
  });

  test('a Current that is not a number, or in another unit, is an error on Current', async () => {
    const text = strategyWith(
      keyResult('KR-1', 'Conversion rate', 'Baseline: 40%\n  Target: 50%\n  Current: about half\n  Due: 2027-06-30') +
        keyResult('KR-2', 'Time to pay', 'Baseline: 38 min\n  Target: 10 min\n  Current: 31%\n  Due: 2027-06-30'),
    );
    const t = await createService({ 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'key-result-target');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range),
      [rangeOf(text, 'about half'), rangeOf(text, '31%')],
    );
    assert.equal(diagnostics[0]!.message, 'KR-1: `Current:` must be a number in the unit of the baseline ("%"), e.g. 40%.');
    assert.equal(diagnostics[1]!.message, 'KR-2: `Current:` is in "%" but the baseline and target in "minutes".');
  });

  test('a target in a unit that does not convert to the baseline is an error', async () => {
    // `38 min` → `10 days` converts (issue 10: one dimension); minutes and users do not.
    const text = strategyWith(keyResult('KR-1', 'Time to pay', 'Baseline: 38 min\n  Target: 10 users\n  Due: 2027-06-30') + keyResult('KR-2', 'Rate'));
    const t = await createService({ 's.md': text });
    assert.equal(
      t.diagnosticsOf('s.md', 'key-result-target')[0]!.message,
      'KR-1: the target is in "users" but the baseline in "minutes"; use one unit so progress can be measured.',
    );
  });

  test('near miss: lower-is-better targets, currencies, thousands separators and a missing Current are fine', async () => {
    const text = strategyWith(
      keyResult('KR-1', 'Time to pay', 'Baseline: 38 min\n  Target: 10 min\n  Current: 31 min\n  Due: 2027-06-30') +
        keyResult('KR-2', 'Revenue per account', 'Baseline: $1,200\n  Target: $1,500\n  Current: $1,350\n  Due: 2027-06-30') +
        keyResult('KR-3', 'Conversion rate', 'Baseline: 41%\n  Target: 55%\n  Due: 2027-06-30'),
    );
    const t = await createService({ 's.md': text });
    assert.deepEqual(t.diagnosticsOf('s.md', 'key-result-target'), []);
  });

  test('near miss: a key result without numbers is left to unmeasurable-key-result', async () => {
    const text = strategyWith(keyResult('KR-1', 'Security review pass rate', 'Target: most of them\n  Current: some') + keyResult('KR-2', 'Rate'));
    const t = await createService({ 's.md': text });
    assert.deepEqual(t.diagnosticsOf('s.md', 'key-result-target'), []);
    assert.equal(t.diagnosticsOf('s.md', 'unmeasurable-key-result').length, 1);
  });
});

describe('due-outside-period', () => {
  test('key results and outcomes due outside the strategy period are warnings on the date', async () => {
    const text = md`
      ---
      type: strategy
      id: STR-1
      period: 2027-Q1
      ---
      ## OBJ-1: Make paying effortless

      - KR-1: Conversion rate
        Baseline: 10%
        Target: 20%
        Due: 2027-04-01
      - KR-2: Time to pay
        Baseline: 38 min
        Target: 10 min
        Due: 2027-03-31

      ### OUT-1: Payers pay without an account
      Supports: OBJ-1
      Due: 2026-12-31
    `;
    const t = await createService({ 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'due-outside-period');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range),
      [rangeOf(text, '2027-04-01'), rangeOf(text, '2026-12-31')],
    );
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0]!.message, "KR-1 is due 2027-04-01, outside the strategy's period 2027-Q1 (2027-01-01 to 2027-03-31).");
  });

  test('near miss: the last day of a half and of a year count as inside; no period means no check', async () => {
    const half = strategyWith(
      keyResult('KR-1', 'Rate', 'Baseline: 1\n  Target: 2\n  Due: 2027-06-30') + keyResult('KR-2', 'Rate', 'Baseline: 1\n  Target: 2\n  Due: 2027-01-01'),
    );
    assert.deepEqual((await createService({ 's.md': half })).diagnosticsOf('s.md', 'due-outside-period'), []);
    const year = half.replace('period: 2027-H1', 'period: 2027').replace('2027-06-30', '2027-12-31');
    assert.deepEqual((await createService({ 's.md': year })).diagnosticsOf('s.md', 'due-outside-period'), []);
    const none = half.replace('period: 2027-H1\n', '').replace('2027-06-30', '2031-01-01');
    assert.deepEqual((await createService({ 's.md': none })).diagnosticsOf('s.md', 'due-outside-period'), []);
  });
});

describe('stale-document', () => {
  const prd = (status: string, updated: string) => md`
    ---
    type: prd
    id: PRD-1
    status: ${status}
    updated: ${updated}
    ---
    # PRD-1: Guest checkout
  `;

  test('an approved document not updated for more than 90 days is information on `updated`', async () => {
    const text = prd('approved', '2026-08-23');
    const t = await createService({ 'p.md': text }, { today: new Date(Date.UTC(2026, 10, 22)) });
    const diagnostics = t.diagnosticsOf('p.md', 'stale-document');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(4, 0, 7));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Information);
    assert.equal(
      diagnostics[0]!.message,
      'This approved document was last updated on 2026-08-23, more than 90 days ago: review it and bump `updated`, or mark it deprecated.',
    );
  });

  test('near miss: exactly 90 days, drafts, and shipped documents are not stale', async () => {
    const today = new Date(Date.UTC(2026, 10, 22));
    for (const text of [prd('review', '2026-08-24'), prd('draft', '2025-01-01'), prd('shipped', '2025-01-01')]) {
      const t = await createService({ 'p.md': text }, { today });
      assert.deepEqual(t.diagnosticsOf('p.md', 'stale-document'), [], text);
    }
  });

  test('the number of days is configurable', async () => {
    const t = await createService(
      { 'p.md': prd('review', '2026-11-01') },
      { today: new Date(Date.UTC(2026, 10, 22)), settings: { thresholds: { staleAfterDays: 14 } } },
    );
    assert.match(t.diagnosticsOf('p.md', 'stale-document')[0]!.message, /updated on 2026-11-01, more than 14 days ago/);
  });
});

describe('deprecated-target', () => {
  const strategy = md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Objective

    ### OUT-1: Current outcome
    Supports: OBJ-1

    ### OUT-2: Old outcome
    Supports: OBJ-1
    Status: deprecated
  `;
  const prd = md`
    ---
    type: prd
    id: PRD-1
    outcomes: [OUT-1, OUT-2]
    ---
    ### REQ-1: One
    Traces: OUT-1

    ### REQ-2: Two
    Traces: OUT-2
  `;

  test('links to a deprecated outcome are warnings on each link, pointing at the outcome', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'deprecated-target');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range),
      [rangeOf(prd, 'OUT-2'), rangeOf(prd, 'OUT-2', 1)],
    );
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0]!.message, 'OUT-2 is deprecated: link to its replacement instead.');
    assert.equal(diagnostics[0]!.relatedInformation?.[0]?.location.uri, t.uri('s.md'));
  });

  test('links into a deprecated document count, and follow its status as it changes', async () => {
    const t = await createService({ 's.md': strategy.replace('id: STR-1', 'id: STR-1\nstatus: deprecated'), 'p.md': prd });
    const messages = t.diagnosticsOf('p.md', 'deprecated-target').map((diagnostic) => diagnostic.message);
    assert.ok(messages.includes('OUT-1 is in STR-1, which is deprecated: link to its replacement instead.'), messages.join('\n'));
    const impact = t.change('s.md', strategy);
    assert.ok(impact.affectedUris.has(t.uri('p.md')), 'un-deprecating the strategy re-checks the PRD');
    assert.equal(t.diagnosticsOf('p.md', 'deprecated-target').length, 2);
  });

  test('near miss: a deprecated requirement may trace to a deprecated outcome; prose mentions are not links', async () => {
    const quiet = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1]
      ---
      ### REQ-2: Two
      Traces: OUT-2
      Status: deprecated

      We used to aim at OUT-2.
    `;
    const t = await createService({ 's.md': strategy, 'p.md': quiet });
    assert.deepEqual(t.diagnosticsOf('p.md', 'deprecated-target'), []);
  });
});

describe('prd-outcome-mismatch', () => {
  const strategy = md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Objective
    ### OUT-1: One
    Supports: OBJ-1
    ### OUT-2: Two
    Supports: OBJ-1
  `;

  test('a requirement tracing to an outcome its PRD does not list is information on the reference', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1]
      ---
      ### REQ-1: One
      Traces: OUT-1, OUT-2
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'prd-outcome-mismatch');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, rangeOf(prd, 'OUT-2'));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Information);
    assert.equal(diagnostics[0]!.message, "REQ-1 traces to OUT-2, which PRD-1's front-matter `outcomes` does not list.");
  });

  test('near miss: listed outcomes, unknown IDs and wrong kinds are left to their own rules', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1, OUT-2]
      ---
      ### REQ-1: One
      Traces: OUT-1, OUT-2, OUT-9, OBJ-1
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'prd-outcome-mismatch'), []);
  });
});

describe('innovation-mix-drift', () => {
  const strategy = (mix: string) => md`
    ---
    type: strategy
    id: STR-1
    innovation_mix: ${mix}
    ---
    ## OBJ-1: Objective
    ### OUT-1: One
    Supports: OBJ-1
  `;
  const prd = (id: string, innovation: string) =>
    `---\ntype: prd\nid: ${id}\noutcomes: [OUT-1]\n${innovation ? `innovation: ${innovation}\n` : ''}---\n### REQ-${id}: R\nTraces: OUT-1\n`;
  const prds = (...innovations: string[]) => Object.fromEntries(innovations.map((innovation, n) => [`p${n}.md`, prd(`PRD-${n}`, innovation)]));

  test('a portfolio far from the target mix is information on `innovation_mix`', async () => {
    const text = strategy('{core: 60, adjacent: 30, disruptive: 10}');
    const t = await createService({ 's.md': text, ...prds('core', 'core', 'core', 'core', 'adjacent', '') });
    const diagnostics = t.diagnosticsOf('s.md', 'innovation-mix-drift');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, rangeOf(text, 'innovation_mix'));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Information);
    assert.equal(
      diagnostics[0]!.message,
      'The PRDs delivering this strategy drift from its innovation mix by more than 10 points: core 80% (target 60%), adjacent 20% (target 30%), disruptive 0% (target 10%) across 5 PRDs (1 without `innovation`).',
    );
  });

  test('near miss: within the tolerance, or no PRD declares innovation', async () => {
    const text = strategy('{core: 70, adjacent: 20, disruptive: 10}');
    const close = await createService({ 's.md': text, ...prds('core', 'core', 'core', 'core', 'core', 'core', 'core', 'adjacent', 'adjacent', 'disruptive') });
    assert.deepEqual(close.diagnosticsOf('s.md', 'innovation-mix-drift'), []);
    const undeclared = await createService({ 's.md': text, ...prds('', '') });
    assert.deepEqual(undeclared.diagnosticsOf('s.md', 'innovation-mix-drift'), []);
  });

  test('a PRD changing its innovation re-checks the strategies it delivers', async () => {
    const t = await createService({ 's.md': strategy('{core: 50, adjacent: 50}'), ...prds('core', 'adjacent') });
    assert.deepEqual(t.diagnosticsOf('s.md', 'innovation-mix-drift'), []);
    const impact = t.change('p1.md', prd('PRD-1', 'core'));
    assert.ok(impact.affectedUris.has(t.uri('s.md')));
    assert.equal(t.diagnosticsOf('s.md', 'innovation-mix-drift').length, 1);
  });

  test('the tolerance is configurable, and a mix that does not add up to 100 is a front-matter error', async () => {
    const t = await createService(
      { 's.md': strategy('{core: 50, adjacent: 50}'), ...prds('core', 'core', 'adjacent') },
      { settings: { thresholds: { innovationMixTolerance: 20 } } },
    );
    assert.deepEqual(t.diagnosticsOf('s.md', 'innovation-mix-drift'), []);
    const wrong = await createService({ 's.md': strategy('{core: 50, adjacent: 40}') });
    assert.match(wrong.diagnosticsOf('s.md', 'front-matter')[0]!.message, /add up to 100/);
  });
});

describe('health rules are suppressible like every rule', () => {
  test('throughline-disable-next-line silences one finding', async () => {
    const text = strategyWith(
      `<!-- throughline-disable-next-line output-key-result -->\n${keyResult('KR-1', 'Launch the dashboard')}${keyResult('KR-2', 'Ship the app')}`,
    );
    const t = await createService({ 's.md': text });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'output-key-result').map((diagnostic) => diagnostic.range),
      [rangeOf(text, 'KR-2')],
    );
  });
});
