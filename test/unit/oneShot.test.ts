/**
 * A one-shot service (`recordReads: false`, as the CLI makes it) records nothing that was read,
 * so its memoised views (tree, coverage, progress, portfolio) drop everything on any change. After
 * edits it must answer exactly as a fresh service built on the final texts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLEAN_WORKSPACE } from '../helpers/fixtures';
import { createService, type TestService } from '../helpers/memoryWorkspace';

/** Everything a view answers, as one comparable text. */
function views(t: TestService): string {
  const { service } = t;
  return JSON.stringify({
    coverage: service.getCoverage(),
    tree: service.getAlignmentTree(undefined, 4),
    portfolio: service.getPortfolio(),
    diagnostics: [...service.diagnosticUris()].sort().map((uri) => [uri, service.getDiagnostics(uri).map((d) => [d.code, d.range.start.line])]),
  });
}

const EDITS: readonly (readonly [string, (text: string) => string])[] = [
  // REQ-1.2 no longer traces OUT-2: OUT-2 loses its only requirement.
  ['prds/checkout.md', (text) => text.replace('Traces: OUT-1, OUT-2', 'Traces: OUT-1')],
  // A PRD's innovation and track change the portfolio.
  ['prds/ledger.md', (text) => text.replace('outcomes: [OUT-3]', 'outcomes: [OUT-3]\ninnovation: disruptive\ntrack: discovery')],
  // An outcome moves to the other objective; a key result's figures change its progress.
  [
    'strategy.md',
    (text) => text.replace('### OUT-2: Payers use their own wallet\nSupports: KR-1.2', '### OUT-2: Payers use their own wallet\nSupports: KR-2.2'),
  ],
  ['strategy.md', (text) => text.replace('Current: 46%', 'Current: 54%')],
  // A requirement goes away.
  ['prds/checkout.md', (text) => text.replace(/### REQ-1\.2[\s\S]*$/, '')],
];

describe('a one-shot service (recordReads: false)', () => {
  test('after each edit, its views and diagnostics equal a fresh service on the same texts', async () => {
    const t = await createService(CLEAN_WORKSPACE, { recordReads: false });
    const texts: Record<string, string> = { ...CLEAN_WORKSPACE };
    // Filled before the first edit, so that every memo holds something an edit makes stale.
    views(t);
    for (const [path, edit] of EDITS) {
      const before = texts[path]!;
      texts[path] = edit(before);
      assert.notEqual(texts[path], before, `the edit of ${path} changes it`);
      t.change(path, texts[path]!);
      const fresh = await createService(texts, { recordReads: false });
      assert.equal(views(t), views(fresh), `after editing ${path}`);
    }
  });
});

describe('a recording service whose views were prepared for edits (prepareViewsForEdits, as the server does after answering them)', () => {
  test('after each edit, its views and diagnostics equal a fresh service on the same texts', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const texts: Record<string, string> = { ...CLEAN_WORKSPACE };
    // Asked before any view holds anything (a no-op), then after they are filled, and after each edit.
    t.service.prepareViewsForEdits();
    views(t);
    t.service.prepareViewsForEdits();
    for (const [path, edit] of EDITS) {
      texts[path] = edit(texts[path]!);
      t.change(path, texts[path]!);
      const fresh = await createService(texts);
      assert.equal(views(t), views(fresh), `after editing ${path}`);
      t.service.prepareViewsForEdits();
    }
  });
});
