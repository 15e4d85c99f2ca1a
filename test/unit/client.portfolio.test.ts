/**
 * The extension's Portfolio rows and progress icons are plain functions of the server's answers
 * (no vscode import), so they are tested here on the answers the service gives for a workspace.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { portfolioRows } from '../../client/src/portfolio';
import { progressIcon, progressPercent } from '../../client/src/progress';
import { createService, md } from '../helpers/memoryWorkspace';

const prd = (id: string, fields: string, requirements: number) =>
  `---\ntype: prd\nid: ${id}\noutcomes: [OUT-1]\n${fields}\n---\n${Array.from({ length: requirements }, (_, n) => `### REQ-${id}.${n}: R\nTraces: OUT-1\n`).join('\n')}`;

const STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  innovation_mix: {core: 60, adjacent: 30, disruptive: 10}
  ---
  ## OBJ-1: Objective
  ### OUT-1: One
  Supports: OBJ-1
`;

describe('Portfolio rows in the tree', () => {
  test('dimensions, buckets with shares, and the strategy targets on innovation', async () => {
    const t = await createService({
      's.md': STRATEGY,
      'a.md': prd('PRD-1', 'innovation: core\nteam: Checkout', 3),
      'b.md': prd('PRD-2', 'innovation: core\nteam: Growth', 1),
      'c.md': prd('PRD-3', 'innovation: adjacent', 4),
    });
    const root = portfolioRows(t.service.getPortfolio())!;
    assert.equal(root.label, 'Portfolio');
    assert.equal(root.description, '3 PRDs · 8 requirements');
    assert.deepEqual(
      root.children.map((row) => row.label),
      ['Innovation', 'Track', 'Horizon', 'Owner', 'Team'],
    );
    const innovation = root.children[0]!;
    assert.equal(innovation.description, 'core 2 · adjacent 1 · disruptive 0');
    assert.deepEqual(
      innovation.children.map((row) => `${row.label}: ${row.description}`),
      [
        'core: 2 PRDs (67%) · 4 requirements (50%) · target 60%',
        'adjacent: 1 PRD (33%) · 4 requirements (50%) · target 30%',
        'disruptive: 0 PRDs (0%) · 0 requirements (0%) · target 10%',
      ],
    );
    assert.equal(root.children[4]!.description, '3 teams');
    // Keys are unique across the tree, so expansion state survives refreshes.
    const keys: string[] = [];
    const walk = (row: typeof root) => {
      keys.push(row.key);
      row.children.forEach(walk);
    };
    walk(root);
    assert.equal(new Set(keys).size, keys.length);
  });

  test('near miss: no PRD, no Portfolio section', async () => {
    const t = await createService({ 's.md': STRATEGY });
    assert.equal(portfolioRows(t.service.getPortfolio()), undefined);
  });
});

describe('progress in the tree', () => {
  test('percentages round down like hover and code lens, clamped to 0–100', () => {
    assert.equal(progressPercent(0.357), '35%');
    assert.equal(progressPercent(0.996), '99%');
    assert.equal(progressPercent(1), '100%');
    assert.equal(progressPercent(1.4), '100%');
    assert.equal(progressPercent(-0.2), '0%');
  });

  test("the ring icon is an SVG data URI per theme, coloured by the item's problems", () => {
    const plain = progressIcon(0.5, undefined);
    const withError = progressIcon(0.5, 'error');
    for (const uri of [plain.light, plain.dark, withError.light]) assert.match(uri, /^data:image\/svg\+xml;base64,/);
    const svg = (uri: string) => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').toString('utf8');
    assert.match(svg(plain.light), /<svg[^>]*>.*<circle.*<circle/s);
    assert.notEqual(plain.light, plain.dark);
    assert.notEqual(svg(plain.light), svg(withError.light), 'an item with errors gets another colour');
    assert.notEqual(svg(progressIcon(0.2, undefined).light), svg(plain.light), 'the fill follows the progress');
  });
});
