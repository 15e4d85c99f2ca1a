/**
 * Trace rules: untraced-requirement, unknown-reference, wrong-link-kind, duplicate-id and cycle.
 * Each rule has a fixture that triggers it (code, severity, exact range, message, related
 * information) and near misses that must not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE, MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range, sortByPosition } from '../helpers/memoryWorkspace';

describe('untraced-requirement', () => {
  test('a heading requirement without Traces is an error on its ID', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Priority: must
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const [diagnostic, ...rest] = t.diagnosticsOf('p.md', 'untraced-requirement');
    assert.equal(rest.length, 0);
    assert.deepEqual(diagnostic!.range, range(4, 4, 9));
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostic!.source, 'throughline');
    assert.equal(diagnostic!.message, 'REQ-1 traces to no outcome: add a `Traces: OUT-…` line below it.');
  });

  test('a list-item requirement without Traces is an error on its ID', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      - REQ-1: Requirement one
        Priority: must
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'untraced-requirement');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(4, 2, 7));
  });

  test('a Traces line naming no ID gets its own message', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: to be decided
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'untraced-requirement');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.message, 'REQ-1 has a `Traces:` line that names no outcome ID.');
  });

  test('near misses: traced requirements, prose mentions and code are not untraced requirements', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Traced
      Traces: OUT-1

      - REQ-2: Traced list item
        Traces: OUT-1

      REQ-3 is only mentioned here, and \`REQ-4: in code\` defines nothing.

      \`\`\`
      ### REQ-5: inside a fenced code block
      \`\`\`
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'untraced-requirement'), []);
  });

  test('the clean example workspace has no diagnostics at all', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    for (const path of Object.keys(CLEAN_WORKSPACE)) assert.deepEqual(t.diagnostics(path), [], path);
  });
});

describe('unknown-reference', () => {
  test('in Traces and Supports it is an error on the ID', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective one
      ### OUT-1: Outcome one
      Supports: OBJ-1, KR-9
    `;
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: OUT-1, OUT-14
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const inPrd = t.diagnosticsOf('p.md', 'unknown-reference');
    assert.equal(inPrd.length, 1);
    assert.deepEqual(inPrd[0]!.range, range(5, 15, 21));
    assert.equal(inPrd[0]!.severity, DiagnosticSeverity.Error);
    assert.equal(inPrd[0]!.message, 'OUT-14 is not defined anywhere in the workspace.');
    const inStrategy = t.diagnosticsOf('s.md', 'unknown-reference');
    assert.equal(inStrategy.length, 1);
    assert.deepEqual(inStrategy[0]!.range, range(6, 17, 21));
    assert.equal(inStrategy[0]!.severity, DiagnosticSeverity.Error);
  });

  test('any PREFIX-ID in a link attribute counts, configured prefix or not', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: ABC-1
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'unknown-reference');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(5, 8, 13));
  });

  test('in front-matter vision and outcomes it is an error on the value', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      vision: VIS-9
      ---
      ## OBJ-1: Objective one
    `;
    const prd = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1, OUT-9]
      ---
    `;
    const blockList = md`
      ---
      type: prd
      id: PRD-2
      outcomes:
        - OUT-1
        - "OUT-8"
      ---
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd, 'q.md': blockList, 'm.md': MINI_STRATEGY.replace('STR-1', 'STR-2') });
    const vision = t.diagnosticsOf('s.md', 'unknown-reference');
    assert.equal(vision.length, 1);
    assert.deepEqual(vision[0]!.range, range(3, 8, 13));
    assert.equal(vision[0]!.severity, DiagnosticSeverity.Error);
    const outcomes = t.diagnosticsOf('p.md', 'unknown-reference');
    assert.equal(outcomes.length, 1);
    assert.deepEqual(outcomes[0]!.range, range(3, 18, 23));
    assert.equal(outcomes[0]!.severity, DiagnosticSeverity.Error);
    const quoted = t.diagnosticsOf('q.md', 'unknown-reference');
    assert.equal(quoted.length, 1);
    assert.deepEqual(quoted[0]!.range, range(5, 5, 10), 'the range excludes the quotes');
  });

  test('in prose it is only a warning', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      We will revisit OUT-99 once legal is done.

      ### REQ-1: Requirement one
      Traces: OUT-1
      Priority: must, see OUT-98
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const diagnostics = sortByPosition(t.diagnosticsOf('p.md', 'unknown-reference'));
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.severity]),
      [
        [range(4, 16, 22), DiagnosticSeverity.Warning],
        [range(8, 20, 26), DiagnosticSeverity.Warning],
      ],
    );
  });

  test('nothing inside fenced or indented code, inline code, HTML comments or link URLs', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: OUT-1

      \`\`\`yaml
      refund: OUT-42
      \`\`\`

      ~~~
      OUT-43
      ~~~

          OUT-44 in an indented code block

      Inline \`OUT-45\` code, \`\`double OUT-46\`\`, an <!-- OUT-47 --> comment.

      <!--
      OUT-48 in an HTML block comment
      -->

      See [the doc](https://example.com/OUT-49) or [here](OUT-50.md) or <https://example.com/OUT-51>.
      A path like docs/OUT-52 and a word like XOUT-53 are not IDs either.
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'unknown-reference'), []);
  });

  test('near miss: the link text of a Markdown link is prose and is checked', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      See [OUT-77](https://example.com) for details.
    `;
    const t = await createService({ 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'unknown-reference');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(4, 5, 11));
  });

  test('near miss: references to IDs defined in another file are fine', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    assert.deepEqual(t.diagnosticsOf('p.md', 'unknown-reference'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'unknown-reference'), []);
  });
});

describe('wrong-link-kind', () => {
  const strategy = md`
    ---
    type: strategy
    id: STR-1
    vision: STR-1
    ---
    ## OBJ-1: Objective one
    - KR-1.1: Key result one
      Baseline: 1
      Target: 2
      Due: 2027-01-01
    ### OUT-1: Outcome one
    Supports: REQ-1
  `;

  test('Traces naming an objective is an error with the definition as related information', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: OBJ-1
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const [diagnostic, ...rest] = t.diagnosticsOf('p.md', 'wrong-link-kind');
    assert.equal(rest.length, 0);
    assert.deepEqual(diagnostic!.range, range(5, 8, 13));
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostic!.message, '`Traces:` expects an outcome, but OBJ-1 is an objective.');
    assert.deepEqual(diagnostic!.relatedInformation, [{ location: { uri: t.uri('s.md'), range: range(5, 3, 8) }, message: 'OBJ-1 is defined here' }]);
  });

  test('Supports naming a requirement, front-matter vision naming a strategy', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    const diagnostics = t.diagnosticsOf('s.md', 'wrong-link-kind');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [
        [range(3, 8, 13), 'front-matter `vision` expects a vision, but STR-1 is a strategy.'],
        [range(11, 10, 15), '`Supports:` expects an objective or a key result, but REQ-1 is a requirement.'],
      ],
    );
    // MINI_PRD defines REQ-1 on line 5.
    assert.deepEqual(diagnostics[1]!.relatedInformation, [{ location: { uri: t.uri('p.md'), range: range(5, 4, 9) }, message: 'REQ-1 is defined here' }]);
  });

  test('front-matter outcomes naming a key result', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1, KR-1.1]
      ---
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'wrong-link-kind');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(3, 18, 24));
    assert.equal(diagnostics[0]!.message, 'front-matter `outcomes` expects an outcome, but KR-1.1 is a key result.');
  });

  test('near misses: right kinds in every link context, and wrong kinds mentioned in prose', async () => {
    const vision = md`
      ---
      type: vision
      id: VIS-1
      ---
    `;
    const good = md`
      ---
      type: strategy
      id: STR-1
      vision: VIS-1
      ---
      ## OBJ-1: Objective one
      - KR-1.1: Key result one
        Baseline: 1
        Target: 2
        Due: 2027-01-01
      ### OUT-1: Outcome one
      Supports: OBJ-1, KR-1.1
      Owner: OBJ-1 is mentioned in prose here, as is REQ-1.
    `;
    const t = await createService({ 'v.md': vision, 's.md': good, 'p.md': MINI_PRD });
    for (const path of ['v.md', 's.md', 'p.md']) assert.deepEqual(t.diagnosticsOf(path, 'wrong-link-kind'), [], path);
  });
});

describe('duplicate-id', () => {
  test('both definitions get the error, each pointing at the other', async () => {
    const other = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-1: Outcome one again
      Supports: OBJ-1
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'other.md': other, 'p.md': MINI_PRD });
    const first = t.diagnosticsOf('s.md', 'duplicate-id');
    const second = t.diagnosticsOf('other.md', 'duplicate-id');
    assert.equal(first.length, 1);
    assert.equal(second.length, 1);
    // MINI_STRATEGY defines OUT-1 on line 13.
    assert.deepEqual(first[0]!.range, range(13, 4, 9));
    assert.deepEqual(second[0]!.range, range(4, 4, 9));
    for (const diagnostic of [...first, ...second]) {
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(diagnostic.message, 'OUT-1 is defined 2 times; IDs must be unique in the workspace.');
    }
    assert.deepEqual(first[0]!.relatedInformation, [{ location: { uri: t.uri('other.md'), range: range(4, 4, 9) }, message: 'OUT-1 is also defined here' }]);
    assert.deepEqual(second[0]!.relatedInformation, [{ location: { uri: t.uri('s.md'), range: range(13, 4, 9) }, message: 'OUT-1 is also defined here' }]);
  });

  test('twice in one file, and document IDs in front-matter', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      - REQ-1: One
        Traces: OUT-1
      - REQ-1: One again
        Traces: OUT-1
    `;
    const prd2 = md`
      ---
      type: prd
      id: PRD-1
      ---
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd, 'p2.md': prd2 });
    const inP = t.diagnosticsOf('p.md', 'duplicate-id');
    assert.deepEqual(
      inP.map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [
        [range(2, 4, 9), 'PRD-1 is defined 2 times; IDs must be unique in the workspace.'],
        [range(4, 2, 7), 'REQ-1 is defined 2 times; IDs must be unique in the workspace.'],
        [range(6, 2, 7), 'REQ-1 is defined 2 times; IDs must be unique in the workspace.'],
      ],
    );
    assert.deepEqual(inP[1]!.relatedInformation, [{ location: { uri: t.uri('p.md'), range: range(6, 2, 7) }, message: 'REQ-1 is also defined here' }]);
    assert.deepEqual(
      t.diagnosticsOf('p2.md', 'duplicate-id').map((diagnostic) => diagnostic.range),
      [range(2, 4, 9)],
    );
  });

  test('three definitions: each lists the two others', async () => {
    const one = (title: string) => md`
      ---
      type: strategy
      id: STR-${title}
      ---
      ## OBJ-7: ${title}
    `;
    const t = await createService({ 'a.md': one('1'), 'b.md': one('2'), 'c.md': one('3') });
    const [diagnostic] = t.diagnosticsOf('b.md', 'duplicate-id');
    assert.equal(diagnostic!.message, 'OBJ-7 is defined 3 times; IDs must be unique in the workspace.');
    assert.deepEqual(diagnostic!.relatedInformation!.map((related) => related.location.uri).sort(), [t.uri('a.md'), t.uri('c.md')]);
  });

  test('near misses: a PRD heading repeating its own front-matter id, and many references to one ID', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      # PRD-1: Guest checkout
      ### REQ-1: One
      Traces: OUT-1
      ### REQ-2: Two
      Traces: OUT-1
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'duplicate-id'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'duplicate-id'), []);
  });

  test('removing one definition clears the error on the other file too', async () => {
    const other = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-1: Outcome one again
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'other.md': other, 'p.md': MINI_PRD });
    assert.equal(t.diagnosticsOf('s.md', 'duplicate-id').length, 1);
    const impact = t.change('other.md', other.replace('OUT-1', 'OUT-2'));
    assert.ok(impact.affectedUris.has(t.uri('s.md')), 'the other definition\u2019s file is affected');
    assert.deepEqual(t.diagnosticsOf('s.md', 'duplicate-id'), []);
  });

  test('defining an ID a second time elsewhere re-checks the file that defined it first', async () => {
    const other = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-2: Another outcome
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'other.md': other, 'p.md': MINI_PRD });
    assert.deepEqual(t.diagnosticsOf('s.md', 'duplicate-id'), []);
    const impact = t.change('other.md', other.replace('OUT-2', 'OUT-1'));
    assert.ok(impact.affectedUris.has(t.uri('s.md')), 'the first definition\u2019s file is affected');
    assert.equal(t.diagnosticsOf('s.md', 'duplicate-id').length, 1);
  });
});

describe('cycle', () => {
  test('two outcomes supporting each other: both links are errors naming the loop', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ### OUT-1: One
      Supports: OUT-2
      ### OUT-2: Two
      Supports: OUT-1
    `;
    const t = await createService({ 's.md': strategy });
    const diagnostics = t.diagnosticsOf('s.md', 'cycle');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.severity, diagnostic.message]),
      [
        [range(5, 10, 15), DiagnosticSeverity.Error, 'This link closes a cycle between OUT-1, OUT-2.'],
        [range(7, 10, 15), DiagnosticSeverity.Error, 'This link closes a cycle between OUT-1, OUT-2.'],
      ],
    );
  });

  test('an item linking to itself', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: One
      Traces: REQ-1
    `;
    const t = await createService({ 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'cycle');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, range(5, 8, 13));
    assert.equal(diagnostics[0]!.message, 'REQ-1 links to itself.');
  });

  test('a cycle through a key result and its own objective, across files', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      Supports: OUT-1
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
    const t = await createService({ 's.md': strategy, 'o.md': outcomes });
    const inStrategy = t.diagnosticsOf('s.md', 'cycle');
    const inOutcomes = t.diagnosticsOf('o.md', 'cycle');
    assert.deepEqual(
      inStrategy.map((diagnostic) => diagnostic.range),
      [range(5, 10, 15)],
    );
    assert.deepEqual(
      inOutcomes.map((diagnostic) => diagnostic.range),
      [range(5, 10, 16)],
    );
    assert.equal(inOutcomes[0]!.message, 'This link closes a cycle between KR-1.1, OBJ-1, OUT-1.');
  });

  test('breaking the cycle in one file clears the error in the other', async () => {
    const a = md`
      ---
      type: strategy
      id: STR-1
      ---
      ### OUT-1: One
      Supports: OUT-2
    `;
    const b = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-2: Two
      Supports: OUT-1
    `;
    const t = await createService({ 'a.md': a, 'b.md': b });
    assert.equal(t.diagnosticsOf('a.md', 'cycle').length, 1);
    const impact = t.change('b.md', b.replace('Supports: OUT-1', 'Supports: OUT-3'));
    assert.ok(impact.affectedUris.has(t.uri('a.md')));
    assert.deepEqual(t.diagnosticsOf('a.md', 'cycle'), []);
  });

  test('near misses: a chain and a diamond are not cycles', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      - KR-1.1: Key result
        Baseline: 1
        Target: 2
        Due: 2027-01-01
      ### OUT-1: One
      Supports: OBJ-1, KR-1.1
      ### OUT-2: Two
      Supports: KR-1.1
    `;
    const prd = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1, OUT-2]
      ---
      ### REQ-1: One
      Traces: OUT-1, OUT-2
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('s.md', 'cycle'), []);
    assert.deepEqual(t.diagnosticsOf('p.md', 'cycle'), []);
  });
});
