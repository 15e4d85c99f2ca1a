/**
 * Lenient and honest front-matter (issue 10, item 4): types and enum values in any case and by
 * alias, lists of owners and teams, unquoted years, did-you-mean for values and keys, and files
 * with a Throughline ID whose type is unknown.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findFrontMatter, normalizeFrontMatter, unknownTypeProblem } from '../../server/src/service/parse/frontMatter';
import { applyTextEdits, createService, range } from '../helpers/memoryWorkspace';

const prd = (lines: string) => `---\ntype: prd\nid: PRD-1\n${lines}---\n# Body\n`;

describe('types and enum values: any case, and documented aliases', () => {
  test('`type: PRD`, `Strategy`, `VISION` take part', async () => {
    for (const [type, id] of [
      ['PRD', 'PRD-1'],
      ['Strategy', 'STR-1'],
      ['VISION', 'VIS-1'],
      ['"Prd"', 'PRD-1'],
      ['product requirements document', 'PRD-1'],
    ]) {
      const t = await createService({ 'd.md': `---\ntype: ${type}\nid: ${id}\n---\n` });
      assert.equal(t.service.graph.definition(id!)?.isDocument, true, type);
      assert.deepEqual(t.diagnosticsOf('d.md', 'front-matter'), [], type);
      assert.equal(
        t.service.graph.document(t.uri('d.md'))?.frontMatter?.type,
        type!.replace(/"/g, '').toLowerCase().startsWith('product') ? 'prd' : type!.replace(/"/g, '').toLowerCase(),
      );
    }
  });

  test('a broken front-matter with `type: PRD` still takes part', async () => {
    const t = await createService({ 'd.md': '---\ntype: PRD\nid: PRD-1\ntitle: "unclosed\n---\n' });
    assert.equal(t.diagnosticsOf('d.md', 'front-matter').length, 1);
    assert.equal(t.service.graph.document(t.uri('d.md'))?.frontMatter?.type, 'prd');
  });

  test('status, innovation, track and horizon are read canonical', () => {
    const data = normalizeFrontMatter('prd', {
      type: 'PRD',
      status: 'In Review',
      innovation: 'Core',
      track: 'DELIVERY',
      horizon: 'Next',
    });
    assert.deepEqual(data, { type: 'prd', status: 'review', innovation: 'core', track: 'delivery', horizon: 'next' });
    for (const [written, meant] of [
      ['in-review', 'review'],
      ['under_review', 'review'],
      ['Approved', 'approved'],
      ['accepted', 'approved'],
      ['WIP', 'draft'],
      ['released', 'shipped'],
      ['obsolete', 'deprecated'],
      ['superseded', 'deprecated'],
    ])
      assert.equal(normalizeFrontMatter('prd', { status: written })['status'], meant, written);
    assert.equal(normalizeFrontMatter('prd', { innovation: 'Transformational' })['innovation'], 'disruptive');
    assert.equal(normalizeFrontMatter('prd', { innovation: 'adjacency' })['innovation'], 'adjacent');
    assert.equal(normalizeFrontMatter('prd', { track: 'discover' })['track'], 'discovery');
  });

  test('`status: Approved` is approved for the rules (stale-document) and the item', async () => {
    const t = await createService({ 'd.md': prd('status: Approved\nupdated: 2020-01-01\n') });
    assert.deepEqual(t.diagnosticsOf('d.md', 'front-matter'), []);
    assert.equal(t.service.graph.definition('PRD-1')?.status, 'approved');
    assert.equal(t.diagnosticsOf('d.md', 'stale-document').length, 1);
  });

  test('near misses: an unknown value is an error, with a did-you-mean when it is close', async () => {
    const found = (await createService({ 'd.md': prd('status: aproved\ninnovation: moonshot\n') })).diagnosticsOf('d.md', 'front-matter');
    assert.deepEqual(
      found.map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [
        [range(3, 8, 15), '`status` must be one of draft, review, approved, shipped, deprecated. Did you mean `approved`?'],
        [range(4, 12, 20), '`innovation` must be one of core, adjacent, disruptive.'],
      ],
    );
    // An alias of another key's value is no alias here.
    assert.equal(normalizeFrontMatter('prd', { status: 'discover' })['status'], 'discover');
  });
});

describe('owner and team: one name or a list', () => {
  test('a list reads as one text, `a, b`, for the item, hover and portfolio', async () => {
    const t = await createService({ 'd.md': prd('owner: [ines, maya]\nteam:\n  - payments\n  - risk\n') });
    assert.deepEqual(t.diagnosticsOf('d.md', 'front-matter'), []);
    assert.equal(t.service.graph.definition('PRD-1')?.owner, 'ines, maya');
    const data = t.service.graph.document(t.uri('d.md'))?.frontMatter?.data;
    assert.equal(data?.['team'], 'payments, risk');
  });

  test('an empty list is unset; a list of numbers is still an error', async () => {
    assert.equal(normalizeFrontMatter('prd', { team: [] })['team'], null);
    const found = (await createService({ 'd.md': prd('owner: [1, 2]\n') })).diagnosticsOf('d.md', 'front-matter');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.range, range(3, 7, 13));
  });

  test('a number as a title or owner is its text', () => {
    assert.deepEqual(normalizeFrontMatter('prd', { title: 2027, owner: 42 }), { title: '2027', owner: '42' });
  });
});

describe('unquoted years', () => {
  test('`period: 2027` is the period "2027", not "expected string"', async () => {
    const t = await createService({ 's.md': '---\ntype: strategy\nid: STR-1\nperiod: 2027\n---\n' });
    assert.deepEqual(t.diagnosticsOf('s.md', 'front-matter'), []);
    assert.equal(t.service.graph.document(t.uri('s.md'))?.frontMatter?.data['period'], '2027');
  });

  test('near misses: `period: 27` and `period: 2027.5` are errors', async () => {
    for (const value of ['27', '2027.5', 'FY27-H3']) {
      const found = (await createService({ 's.md': `---\ntype: strategy\nid: STR-1\nperiod: ${value}\n---\n` })).diagnosticsOf('s.md', 'front-matter');
      assert.equal(found.length, 1, value);
      assert.match(found[0]!.message, /^`period`: expected a period such as 2027, 2027-H1, 2027-Q3, FY27, FY2027-Q1 or FY27-H2$/, value);
    }
  });
});

describe('misspelled-front-matter-key', () => {
  test('`innovaton:` gets a did-you-mean, and the quick fix renames the key', async () => {
    const text = prd('innovaton: core\n');
    const t = await createService({ 'd.md': text });
    const diagnostics = t.diagnosticsOf('d.md', 'misspelled-front-matter-key');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.message),
      ['`innovaton` is not a front-matter key of a prd document, so it is ignored; did you mean `innovation`?'],
    );
    const actions = t.service.getCodeActions(t.doc('d.md'), diagnostics);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Rename `innovaton` to `innovation`'],
    );
    const fixed = applyTextEdits(text, actions[0]!.edit!.changes![t.uri('d.md')]!);
    assert.equal(fixed, prd('innovation: core\n'));
    t.change('d.md', fixed);
    assert.deepEqual(t.diagnosticsOf('d.md', 'misspelled-front-matter-key'), []);
  });

  test('a capitalised key and a missing plural are near misses of a known key too', async () => {
    const t = await createService({ 'd.md': prd('Owner: ines\nstakeholder: [legal]\noutcome: [OUT-1]\n') });
    assert.deepEqual(
      t.diagnosticsOf('d.md', 'misspelled-front-matter-key').map((diagnostic) => diagnostic.message.replace(/ is not.*mean /, ' → ')),
      ['`Owner` → `owner`?', '`stakeholder` → `stakeholders`?', '`outcome` → `outcomes`?'],
    );
  });

  test('near misses: keys close to nothing known, keys of another type and a typo beside its key are not reported', async () => {
    const t = await createService({
      'd.md': prd('jira: PAY-12\nreviewers: [ana]\nowner: ines\n'),
      's.md': '---\ntype: strategy\nid: STR-1\nowners: [a]\nowner: b\nperiod: 2027\n---\n',
    });
    assert.deepEqual(t.diagnosticsOf('d.md', 'misspelled-front-matter-key'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'misspelled-front-matter-key'), []);
  });
});

describe('a Throughline ID with an unknown type', () => {
  const problem = (text: string) => unknownTypeProblem(text, findFrontMatter(text)!, (prefix) => ['VIS', 'STR', 'PRD', 'OUT'].includes(prefix));

  test('`type: discovery` with `id: PRD-4`: an info saying the file is not checked', () => {
    const text = '---\ntype: discovery\nid: PRD-4\n---\n';
    assert.deepEqual(problem(text), {
      severity: 'info',
      message: '`type: discovery` is not one of vision, strategy, prd; this file is not checked.',
      start: text.indexOf('discovery'),
      end: text.indexOf('discovery') + 'discovery'.length,
    });
  });

  test('with a did-you-mean when the type is close', () => {
    const text = '---\nid: "STR-2"\ntype: strategi # draft\n---\n';
    assert.deepEqual(problem(text), {
      severity: 'info',
      message: '`type: strategi` is not one of vision, strategy, prd; this file is not checked. Did you mean `strategy`?',
      start: text.indexOf('strategi'),
      end: text.indexOf('strategi') + 'strategi'.length,
      suggestion: 'strategy',
    });
  });

  test('without a type: the info is on the id', () => {
    const text = '---\nid: PRD-4\ntitle: Refunds\n---\n';
    assert.equal(
      problem(text)?.message,
      '`id: PRD-4` has a Throughline prefix but the front-matter has no `type` (one of vision, strategy, prd); this file is not checked.',
    );
    assert.equal(problem(text)?.start, text.indexOf('PRD-4'));
  });

  test('near misses: a known type (any case), an ID of an unknown prefix, no ID, an indented id', () => {
    assert.equal(problem('---\ntype: PRD\nid: PRD-4\n---\n'), undefined);
    assert.equal(problem('---\ntype: discovery\nid: JIRA-4\n---\n'), undefined);
    assert.equal(problem('---\ntype: blog\ntitle: PRD-4\n---\n'), undefined);
    assert.equal(problem('---\ntype: blog\nmeta:\n  id: PRD-4\n---\n'), undefined);
  });
});
