/**
 * Key result trends in the report: the service computes them from the history it holds (so the
 * VS Code webview, which asks the server for the report, shows them as the CLI does), and the
 * SVG renderer escapes every text, stays inside its box, caps its points and passes the report's
 * Content-Security-Policy (no script, no `style` attribute, no external reference).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderReportHtml, renderReportMarkdown } from '../../server/src/report';
import { MAX_SVG_POINTS, renderTrendSvg, TREND_HEIGHT, TREND_WIDTH } from '../../server/src/report/trendSvg';
import { expectedAt, type KeyResultTrend } from '../../server/src/service/analysis/report/trends';
import { createService, uri } from '../helpers/memoryWorkspace';

const EVIL = `<script>alert("x")</script> & "quoted" 'single' <img src=x onerror=alert(1)>`;
const NONCE = 'r4nd0mN0nceValue_-123';
const DAY = 24 * 60 * 60 * 1000;

function strategy(current: string, title = 'Invoice conversion'): string {
  return `---
type: strategy
id: STR-1
title: Payments
---
# STR-1: Payments

## OBJ-1: Make paying effortless

- KR-1.1: ${title}
  Baseline: 40%
  Target: 60%
  Current: ${current}
  Due: 2027-06-30
`;
}

describe('key result trends from the service history', () => {
  test('check-ins become points; the report renders them escaped under the VS Code CSP', async () => {
    const { service } = await createService({ 'strategy.md': strategy('50%', EVIL) });
    assert.equal(service.getStrategyReport().trends, undefined, 'no history, no trends');
    const fold = service.newHistoryFold();
    const file = uri('strategy.md');
    const commit = (day: string, author: string, sha: string) => ({ sha: sha.repeat(40), time: Date.parse(`${day}T12:00:00Z`), author, subject: EVIL });
    fold.apply(commit('2026-09-01', EVIL, 'a'), [{ uri: file, text: strategy('40%', EVIL) }]);
    fold.apply(commit('2026-10-01', 'Maya', 'b'), [{ uri: file, text: strategy('46%', EVIL) }]);
    await service.setHistory(fold);
    const report = service.getStrategyReport();
    const trend = report.trends?.[0];
    assert.ok(trend);
    assert.deepEqual(
      trend.points.map((point) => point.label),
      ['40%', '46%', '50%'],
      'two commits and the uncommitted value',
    );
    assert.equal(trend.points[2]!.commit, undefined);
    assert.ok(trend.expectedToDate !== undefined && trend.expectedToDate > 40 && trend.expectedToDate < 60);

    const html = renderReportHtml(report, { theme: 'vscode', nonce: NONCE });
    assert.match(html, /<section id="trends" class="panel">/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /\sstyle="/);
    assert.doesNotMatch(html.slice(html.indexOf('<body>')), /<[^>]*\son[a-z]+=/i);
    assert.doesNotMatch(html, /(?:href|src)="(?:https?:|\/\/)/, 'no external reference');
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(renderReportMarkdown(report), /^## Key result trends$/m);
  });
});

function trend(overrides: Partial<KeyResultTrend> = {}): KeyResultTrend {
  const start = Date.UTC(2026, 8, 1);
  return {
    id: 'KR-1.1',
    title: 'Conversion',
    uri: 'file:///ws/s.md',
    baseline: 40,
    target: 60,
    baselineLabel: '40%',
    targetLabel: '60%',
    due: Date.UTC(2027, 5, 30),
    dueLabel: '2027-06-30',
    points: [
      { time: start, value: 40, label: '40%' },
      { time: start + 30 * DAY, value: 46, label: '46%' },
    ],
    omittedPoints: 0,
    today: Date.UTC(2026, 11, 2),
    actualToDate: 46,
    ...overrides,
  };
}

describe('renderTrendSvg', () => {
  test('escapes labels, authors and IDs', () => {
    const svg = renderTrendSvg(
      trend({
        id: `KR-1"><script>`,
        dueLabel: EVIL,
        points: [{ time: Date.UTC(2026, 8, 1), value: 40, label: EVIL, author: EVIL, commit: 'abc1234' }],
      }),
    );
    assert.doesNotMatch(svg, /<script|<img/);
    assert.doesNotMatch(svg, /"><script/);
    assert.match(svg, /&lt;script&gt;/);
  });

  test('stays inside its box, with wild values and times, and caps its points', () => {
    const points = Array.from({ length: 5000 }, (_, index) => ({
      time: Date.UTC(2026, 0, 1) + index * DAY,
      value: index % 2 ? 1e12 : -1e12,
      label: String(index),
    }));
    const svg = renderTrendSvg(trend({ points, today: Number.NaN, due: Date.UTC(2100, 0, 1) }));
    assert.equal(svg.match(/<circle /g)?.length, MAX_SVG_POINTS);
    for (const match of svg.matchAll(/\s(?:x1|x2|cx)="([^"]+)"/g)) {
      const value = Number(match[1]);
      assert.ok(value >= 0 && value <= TREND_WIDTH, `x ${match[1]}`);
    }
    for (const match of svg.matchAll(/\s(?:y1|y2|cy)="([^"]+)"/g)) {
      const value = Number(match[1]);
      assert.ok(value >= 0 && value <= TREND_HEIGHT, `y ${match[1]}`);
    }
    assert.doesNotMatch(svg, /NaN|Infinity/);
    assert.ok(svg.length < 20_000, `${svg.length} characters`);
  });

  test('one point and no due date: no expected line, no division by zero', () => {
    const svg = renderTrendSvg(trend({ points: [{ time: Date.UTC(2026, 11, 2), value: 40, label: '40%' }], due: undefined, dueLabel: undefined }));
    assert.doesNotMatch(svg, /trend-expected|NaN/);
    assert.match(svg, /trend-today/);
  });

  test('the expected line runs from the baseline to the target by the due date, flat after it', () => {
    const line = { start: 0, baseline: 40, due: 100, target: 60 };
    assert.equal(expectedAt(line, 50), 50);
    assert.equal(expectedAt(line, 200), 60);
    assert.equal(expectedAt(line, -1), undefined);
    assert.equal(expectedAt({ ...line, due: 0 }, 10), undefined);
  });
});
