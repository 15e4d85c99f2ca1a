/**
 * The strategy report renderers (HTML and Markdown) on hand-built StrategyReport values: figures,
 * progress bars, the alignment graph and its bounds, portfolio charts, problems, escaping of
 * everything that comes from the workspace, self-containment, and the VS Code webview policy.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlignmentNode, AlignmentNodeKind, KeyResultProgress, ObjectiveProgress, Portfolio, PortfolioDimension } from '../../common/protocol';
import {
  buildAlignmentGraph,
  DEFAULT_GRAPH_LIMITS,
  MAX_PROBLEM_ROWS,
  MD_MAX_PROBLEMS,
  renderReportHtml,
  renderReportMarkdown,
  type ReportProblem,
  type StrategyReport,
} from '../../server/src/report';
import { escapeMermaid } from '../../server/src/report/markdown';
import type { WorkspaceProblem } from '../../server/src/service/analysis/report/reportModel';
import { createService } from '../helpers/memoryWorkspace';

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
const STRATEGY_URI = 'file:///ws/strategy/plan.md';

function node(
  kind: AlignmentNodeKind,
  id: string | undefined,
  title: string,
  children: AlignmentNode[] = [],
  extra: Partial<AlignmentNode> = {},
): AlignmentNode {
  return {
    key: id ?? title,
    id,
    kind,
    title,
    uri: STRATEGY_URI,
    range: RANGE,
    counts: {},
    problems: { errors: 0, warnings: 0 },
    childCount: children.length,
    children,
    ...extra,
  };
}

function requirement(id: string, prd: string): AlignmentNode {
  return node('requirement', id, `Requirement ${id}`, [], { documentId: prd, uri: `file:///ws/prds/${prd.toLowerCase()}.md` });
}

function prdGroup(prd: string, title: string, requirements: string[]): AlignmentNode {
  return node(
    'prd',
    prd,
    title,
    requirements.map((id) => requirement(id, prd)),
    { counts: { requirements: requirements.length }, uri: `file:///ws/prds/${prd.toLowerCase()}.md` },
  );
}

function outcome(id: string, title: string, prds: AlignmentNode[]): AlignmentNode {
  const requirements = prds.reduce((sum, prd) => sum + prd.children.length, 0);
  return node('outcome', id, title, prds, { counts: { requirements } });
}

function keyResult(id: string, title: string, progress: number | undefined, baseline?: string, current?: string, target?: string): KeyResultProgress {
  return { id, title, uri: STRATEGY_URI, range: RANGE, baseline, current, target, progress, weight: 1 };
}

function dimension(name: PortfolioDimension['name'], buckets: [string, number, number][]): PortfolioDimension {
  return { name, buckets: buckets.map(([value, prds, requirements]) => ({ value, prds, requirements })) };
}

/** Two objectives (one measurable), OUT-2 under two key results, an outcome nothing delivers, an unaligned one, six problems. */
function sampleReport(overrides: Partial<StrategyReport> = {}): StrategyReport {
  const objectives: ObjectiveProgress[] = [
    {
      id: 'OBJ-1',
      title: 'Make paying an invoice effortless',
      uri: STRATEGY_URI,
      range: RANGE,
      strategyId: 'STR-1',
      progress: 0.48,
      keyResults: [
        keyResult('KR-1.1', 'Invoice payment conversion', 0.36, '41%', '46%', '55%'),
        keyResult('KR-1.2', 'Time to payment', 0.6, '38 min', '24 min', '10 min'),
      ],
    },
    {
      id: 'OBJ-2',
      title: 'Get paid before the due date',
      uri: STRATEGY_URI,
      range: RANGE,
      strategyId: 'STR-1',
      keyResults: [keyResult('KR-2.1', 'Reminder adoption', undefined, undefined, undefined, 'most')],
    },
  ];
  const out2 = () =>
    outcome('OUT-2', 'Payers use the method they know', [prdGroup('PRD-1', 'Guest checkout', ['REQ-1.3']), prdGroup('PRD-2', 'Reminders', ['REQ-2.1'])]);
  const tree: AlignmentNode[] = [
    node(
      'vision',
      'VIS-1',
      'Every small business gets paid on time',
      [
        node(
          'objective',
          'OBJ-1',
          'Make paying an invoice effortless',
          [
            node(
              'keyResult',
              'KR-1.1',
              'Invoice payment conversion',
              [outcome('OUT-1', 'Payers pay without an account', [prdGroup('PRD-1', 'Guest checkout', ['REQ-1.1', 'REQ-1.2'])]), out2()],
              { progress: 0.36 },
            ),
            node('keyResult', 'KR-1.2', 'Time to payment', [out2()], { progress: 0.6 }),
          ],
          { progress: 0.48 },
        ),
        node(
          'objective',
          'OBJ-2',
          'Get paid before the due date',
          [node('keyResult', 'KR-2.1', 'Reminder adoption'), outcome('OUT-3', 'Payers know when to pay', [])],
          { problems: { errors: 0, warnings: 1 } },
        ),
      ],
      { counts: { objectives: 2 } },
    ),
    node('group', undefined, 'Untraced requirements', [prdGroup('PRD-2', 'Reminders', ['REQ-2.2'])], { key: 'untraced' }),
    node('group', undefined, 'Outcomes nothing delivers', [outcome('OUT-3', 'Payers know when to pay', [])], { key: 'undelivered' }),
    node('group', undefined, 'Unaligned outcomes', [outcome('OUT-9', 'Cash-flow forecasts', [])], { key: 'unaligned' }),
  ];
  const portfolio: Portfolio = {
    prds: 4,
    requirements: 12,
    dimensions: [
      dimension('innovation', [
        ['core', 3, 10],
        ['adjacent', 1, 2],
        ['disruptive', 0, 0],
      ]),
      dimension('track', [
        ['discovery', 1, 2],
        ['delivery', 3, 10],
      ]),
      dimension('horizon', [
        ['now', 2, 6],
        ['next', 1, 4],
        ['unset', 1, 2],
      ]),
      dimension('owner', [
        ['ines@acme.test', 2, 7],
        ['tom@acme.test', 2, 5],
      ]),
      dimension('team', [
        ['Checkout', 2, 7],
        ['Growth', 2, 5],
      ]),
    ],
    innovationTargets: [
      {
        strategyId: 'STR-1',
        mix: { core: 70, adjacent: 20, disruptive: 10 },
        actual: { core: 75, adjacent: 25, disruptive: 0 },
        declared: 4,
        undeclared: 0,
        tolerance: 5,
      },
    ],
  };
  const problem = (file: string, line: number, severity: ReportProblem['severity'], rule: string, message: string): ReportProblem => ({
    uri: `file:///ws/${file}`,
    file,
    line,
    column: 5,
    severity,
    rule,
    message,
  });
  const problems = [
    problem('prds/guest-checkout.md', 38, 'error', 'untraced-requirement', 'REQ-1.4 traces to no outcome: add a `Traces: OUT-…` line below it.'),
    problem('prds/smart-reminders.md', 26, 'error', 'unknown-reference', 'OUT-14 is not defined anywhere in the workspace.'),
    problem('prds/smart-reminders.md', 29, 'error', 'wrong-link-kind', '`Traces:` expects an outcome, but OBJ-2 is an objective.'),
    problem('strategy/plan.md', 62, 'warning', 'orphan-outcome', 'No requirement traces to OUT-3: nothing delivers this outcome yet.'),
    problem('strategy/plan.md', 72, 'warning', 'unmeasurable-key-result', 'KR-2.1 is not measurable.'),
    problem('strategy/plan.md', 83, 'info', 'objective-count', 'STR-1 has 2 objectives.'),
  ];
  return {
    title: 'Strategy report: acme',
    generatedAt: '2027-01-15T10:32:07.000Z',
    coverage: { requirements: 12, tracedRequirements: 9, outcomes: 7, deliveredOutcomes: 5, objectives: 2, objectivesWithOutcomes: 2, progress: objectives },
    objectives,
    tree,
    portfolio,
    problems,
    ...overrides,
  };
}

/** The element whose opening tag contains `marker`, up to its matching close tag (no nesting of the same tag assumed). */
function element(html: string, tag: string, marker: string): string {
  const start = html.indexOf(marker);
  assert.ok(start >= 0, `no ${marker}`);
  const open = html.lastIndexOf(`<${tag}`, start);
  const close = html.indexOf(`</${tag}>`, start);
  assert.ok(open >= 0 && close > open, `no <${tag}> around ${marker}`);
  return html.slice(open, close + tag.length + 3);
}

const NONCE = 'r4nd0mN0nceValue_-123';

describe('HTML report (standalone)', () => {
  const html = renderReportHtml(sampleReport(), { theme: 'standalone' });

  test('is one complete HTML5 document with every section', () => {
    assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en"'));
    assert.ok(html.trimEnd().endsWith('</html>'));
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /<title>Strategy report: acme<\/title>/);
    for (const id of ['coverage', 'objectives', 'alignment', 'portfolio', 'problems']) assert.match(html, new RegExp(`<section id="${id}"`), id);
    assert.match(html, /Generated <time datetime="2027-01-15T10:32:07.000Z">2027-01-15 10:32 UTC<\/time>/);
    // A pinned date (THROUGHLINE_TODAY) is midnight: the date alone.
    assert.match(
      renderReportHtml(sampleReport({ generatedAt: '2027-01-15T00:00:00.000Z' }), { theme: 'standalone' }),
      /Generated <time datetime="2027-01-15T00:00:00.000Z">2027-01-15<\/time>/,
    );
  });

  test('is self-contained: no script, no remote URL, no resource to load, no inline style attribute', () => {
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /https?:\/\//i);
    assert.doesNotMatch(html, /\b(src|srcset)=/i);
    assert.doesNotMatch(html, /<link\b/i);
    assert.doesNotMatch(html, /@import|url\((?!#)/i, 'CSS loads nothing (url(#…) references are in-document clip paths)');
    assert.doesNotMatch(html, /\sstyle="/i);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no event handler attributes');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);
    assert.ok(hrefs.length > 0);
    for (const href of hrefs) assert.match(href, /^(#[a-z]+|file:\/\/\/)/, href);
  });

  test('has a light design with a dark variant', () => {
    assert.match(html, /<meta name="color-scheme" content="light dark">/);
    assert.match(html, /@media \(prefers-color-scheme: dark\)/);
    assert.doesNotMatch(html, /var\(--vscode-/);
  });

  test('shows the coverage figures as cards', () => {
    /** A card: from its opening tag to the end of its ring. */
    const card = (figure: string) => {
      const start = html.indexOf(`data-figure="${figure}"`);
      assert.ok(start >= 0, figure);
      return html.slice(start, html.indexOf('</svg>', start));
    };
    const requirements = card('requirements');
    assert.match(requirements, /data-part="9" data-whole="12"/);
    assert.match(requirements, />75<span class="unit">%<\/span>/);
    assert.match(requirements, /9 of 12 requirements trace to an outcome/);
    assert.match(requirements, /stroke-dasharray="75 100"/);
    assert.match(card('outcomes'), />71<span class="unit">%<\/span>[\s\S]*5 of 7 outcomes/);
    assert.match(card('objectives'), />100<span class="unit">%<\/span>[\s\S]*2 of 2 objectives/);
    // Overall progress: the mean of measurable objectives; only OBJ-1 (48%) is.
    assert.match(card('progress'), />48<span class="unit">%<\/span>[\s\S]*mean of 1 measurable objective of 2/);
  });

  test('draws a progress bar per objective and key result with its percentage', () => {
    const first = element(html, 'article', 'data-id="OBJ-1"');
    assert.match(first, /data-progress="48"/);
    assert.match(first, /<span class="objective-pct">48%<\/span>/);
    assert.match(first, /aria-label="OBJ-1 progress 48%"><rect class="bar-track" width="100%"[^>]*\/><rect class="bar-fill" width="48%"/);
    assert.match(first, /<tr class="kr" data-id="KR-1.1" data-progress="36">/);
    assert.match(first, /<rect class="bar-fill" width="36%"/);
    assert.match(
      first,
      /41%<\/span><span class="arrow" aria-label="to">→<\/span><strong class="value current">46%<\/strong><span class="arrow" aria-label="to">→<\/span><span class="value">55%/,
    );
    assert.match(first, /<rect class="bar-fill" width="60%"/);

    const second = element(html, 'article', 'data-id="OBJ-2"');
    assert.doesNotMatch(second, /data-progress=/);
    assert.doesNotMatch(second, /bar-fill/, 'nothing to fill when nothing can be measured');
    assert.match(second, /not measurable/);
  });

  test('draws the alignment graph with one node per item and edges between them', () => {
    const svg = element(html, 'svg', 'class="graph"');
    for (const id of ['VIS-1', 'OBJ-1', 'OBJ-2', 'KR-1.1', 'KR-1.2', 'KR-2.1', 'OUT-1', 'OUT-2', 'OUT-3', 'OUT-9', 'PRD-1', 'PRD-2']) {
      assert.equal(svg.split(`data-id="${id}"`).length - 1, 1, `${id} is drawn once`);
    }
    assert.doesNotMatch(svg, /data-id="REQ-/, 'requirements are folded into their PRD');
    // VIS→OBJ ×2, OBJ-1→KR ×2, OBJ-2→KR-2.1, OBJ-2→OUT-3, KR-1.1→OUT-1, KR-1.1→OUT-2, KR-1.2→OUT-2, OUT-1→PRD-1, OUT-2→PRD-1, OUT-2→PRD-2.
    assert.equal((svg.match(/<path class="edge( skip)?"/g) ?? []).length, 12);
    // OBJ-2 → OUT-3 passes behind the key-result column: the only dashed edge.
    assert.equal((svg.match(/<path class="edge skip"/g) ?? []).length, 1);
    // PRD-1: REQ-1.1 and REQ-1.2 through OUT-1, REQ-1.3 through OUT-2.
    assert.match(element(svg, 'g', 'data-id="PRD-1"'), />3 req</);
    assert.match(element(svg, 'g', 'data-id="OUT-3"'), /class="node k-outcome flagged"/);
    assert.match(element(svg, 'g', 'data-id="OUT-3"'), />no PRD</);
    assert.match(element(svg, 'g', 'data-id="OUT-9"'), />unaligned</);
    assert.match(element(svg, 'g', 'data-id="OBJ-2"'), /has-warnings/);
    assert.match(element(svg, 'g', 'data-id="KR-1.1"'), />36%</);
  });

  test('charts the portfolio, with the innovation targets against the actual shares', () => {
    const innovation = element(html, 'article', 'data-dimension="innovation"');
    assert.match(innovation, /aria-label="Innovation by PRDs"/);
    assert.match(innovation, /<rect class="seg s0" x="0.000%" width="75.000%"/, 'core: 3 of 4 PRDs');
    assert.match(innovation, /aria-label="Innovation target mix of STR-1"/);
    assert.match(innovation, /<rect class="seg s0" x="0.000%" width="70.000%"/, 'target core 70%');
    // A target value no PRD has yet still gets its row, at 0 PRDs; gaps beyond the tolerance (5 points here) are marked.
    assert.match(innovation, /<tr data-value="disruptive">.*>0<span class="share">0%<\/span>.*10% <span class="gap gap-off">−10 pts<\/span>/);
    assert.match(innovation, /<tr data-value="core">.*70% <span class="gap gap-ok">\+5 pts<\/span>/);
    assert.match(element(html, 'article', 'data-dimension="horizon"'), /<tr data-value="unset"><td><span class="swatch s-unset"><\/span>not set<\/td>/);
    for (const name of ['track', 'owner', 'team']) assert.match(html, new RegExp(`data-dimension="${name}"`));
  });

  test('lists every problem with a link to its file, errors first', () => {
    const rows = [...html.matchAll(/<tr class="problem sev-(\w+)">(.*?)<\/tr>/g)];
    assert.equal(rows.length, 6);
    assert.deepEqual(
      rows.map((row) => row[1]),
      ['error', 'error', 'error', 'warning', 'warning', 'info'],
    );
    assert.match(rows[0]![2]!, /<a href="file:\/\/\/ws\/prds\/guest-checkout.md" title="prds\/guest-checkout.md:38:5">prds\/guest-checkout.md:38<\/a>/);
    assert.match(rows[0]![2]!, /add a <code>Traces: OUT-…<\/code> line/, 'code spans of messages show as code');
    assert.match(html, /<span class="pill error">3 errors<\/span> <span class="pill warning">2 warnings<\/span> <span class="pill info">1 info<\/span>/);
  });

  test('says so when there are no problems, objectives or PRDs', () => {
    const empty = renderReportHtml(
      sampleReport({ problems: [], objectives: [], tree: [], portfolio: { prds: 0, requirements: 0, dimensions: [], innovationTargets: [] } }),
      { theme: 'standalone' },
    );
    assert.match(empty, /No problems: every requirement traces/);
    assert.match(empty, /No objectives yet/);
    assert.match(empty, /Nothing to draw yet/);
    assert.match(empty, /No PRDs yet/);
    assert.doesNotMatch(empty, /<table class="problems">/);
  });
});

describe('HTML report escaping', () => {
  const evil = `<script>alert("x")</script> & "quoted" 'single' <img src=x onerror=alert(1)>`;
  const report = sampleReport({
    title: evil,
    objectives: [{ ...sampleReport().objectives[0]!, title: evil, keyResults: [keyResult('KR-1.1', evil, 0.5, `"><script>`, '1 & 2', '<b>')] }],
    tree: [node('vision', 'VIS-1', evil, [node('objective', 'OBJ-1', evil)])],
    problems: [{ uri: 'file:///ws/a".md', file: 'a"<b>.md', line: 1, column: 1, severity: 'error', rule: '<rule>', message: `${evil} \`<code>\`` }],
    portfolio: { ...sampleReport().portfolio, dimensions: [dimension('owner', [[evil, 1, 1]])] },
  });

  for (const theme of ['standalone', 'vscode'] as const) {
    test(`no text from the workspace becomes markup (${theme})`, () => {
      const html = renderReportHtml(report, { theme, nonce: theme === 'vscode' ? NONCE : undefined });
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /<img/i);
      assert.doesNotMatch(html, /<b>/);
      assert.doesNotMatch(html, /<rule>/);
      // Attribute values are quoted and escaped, so a tag ends at the first `>`; outside its quoted values, no handler.
      for (const [tag] of html.matchAll(/<[a-zA-Z][^>]*>/g)) assert.doesNotMatch(tag.replace(/"[^"]*"/g, '""'), /\son\w+=/i, tag);
      assert.match(
        html,
        /<h1>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &quot;quoted&quot; &#39;single&#39; &lt;img src=x onerror=alert\(1\)&gt;<\/h1>/,
      );
      assert.match(html, /<title>Strategy report: &lt;script&gt;/);
      // Attributes: the quote in the URI cannot end the href.
      assert.match(html, theme === 'standalone' ? /href="file:\/\/\/ws\/a&quot;.md"/ : /href="command:throughline\.openLocation\?[^"]*a%5C%22.md/);
      assert.match(html, /title="a&quot;&lt;b&gt;.md:1:1">a&quot;&lt;b&gt;.md:1<\/a>/);
      assert.match(html, /<code>&lt;code&gt;<\/code>/, 'code spans in messages are escaped too');
      // Every tag in the document is one the renderer writes.
      const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((match) => match[1]!.toLowerCase()));
      const allowed = [
        'html',
        'head',
        'meta',
        'title',
        'style',
        'body',
        'header',
        'div',
        'p',
        'span',
        'h1',
        'h2',
        'h3',
        'time',
        'nav',
        'a',
        'main',
        'section',
        'svg',
        'circle',
        'rect',
        'article',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        'strong',
        'g',
        'text',
        'tspan',
        'path',
        'clippath',
        'code',
        'footer',
      ];
      for (const tag of tags) assert.ok(allowed.includes(tag), `unexpected <${tag}>`);
    });
  }
});

describe('HTML report (VS Code theme)', () => {
  const html = renderReportHtml(sampleReport(), { theme: 'vscode', nonce: NONCE, cspSource: 'https://file+.vscode-resource.vscode-cdn.net' });

  test('carries a strict Content-Security-Policy and puts the nonce on its only <style>', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'a CSP meta tag');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`style-src 'nonce-${NONCE}';`));
    assert.match(csp, /img-src data: https:\/\/file\+\.vscode-resource\.vscode-cdn\.net;/);
    assert.doesNotMatch(csp, /unsafe|script-src/);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style'), 'the policy comes before the styles');
    assert.deepEqual(
      [...html.matchAll(/<style([^>]*)>/g)].map((match) => match[1]),
      [` nonce="${NONCE}"`],
    );
    assert.doesNotMatch(html, /\sstyle="/);
    assert.doesNotMatch(html, /<script/i);
  });

  test('is styled with the workbench theme variables', () => {
    for (const variable of [
      '--vscode-editor-background',
      '--vscode-foreground',
      '--vscode-font-family',
      '--vscode-textLink-foreground',
      '--vscode-charts-red',
      '--vscode-charts-green',
      '--vscode-charts-yellow',
      '--vscode-charts-blue',
      '--vscode-charts-purple',
      '--vscode-charts-orange',
    ]) {
      assert.ok(html.includes(`var(${variable}`), variable);
    }
    assert.doesNotMatch(html, /prefers-color-scheme/, 'the workbench theme decides light or dark');
  });

  test('links problems to the editor through throughline.openLocation with the line and column', () => {
    const href = /<tr class="problem sev-error">.*?<a href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(href);
    assert.ok(href.startsWith('command:throughline.openLocation?'), href);
    assert.deepEqual(JSON.parse(decodeURIComponent(href.slice('command:throughline.openLocation?'.length))), ['file:///ws/prds/guest-checkout.md', 38, 5]);
  });

  test('refuses to render without a usable nonce', () => {
    assert.throws(() => renderReportHtml(sampleReport(), { theme: 'vscode' }), /nonce/);
    assert.throws(() => renderReportHtml(sampleReport(), { theme: 'vscode', nonce: `abc'; script-src *` }), /nonce/);
  });

  test('renders the same report the same way twice', () => {
    assert.equal(renderReportHtml(sampleReport(), { theme: 'vscode', nonce: NONCE }), renderReportHtml(sampleReport(), { theme: 'vscode', nonce: NONCE }));
  });
});

/** Splits a Markdown table row into cells, honouring `\|`. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The table that follows `heading` (the first one after it). */
function markdownTable(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `no ${heading}`);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (let index = first; index < lines.length && lines[index]!.startsWith('|'); index++) rows.push(cells(lines[index]!));
  return rows;
}

function mermaidBlock(markdown: string): string[] {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  assert.ok(match, 'a mermaid block');
  return match[1]!.split('\n');
}

describe('Markdown report', () => {
  const markdown = renderReportMarkdown(sampleReport());

  test('has a title and the coverage table', () => {
    assert.ok(markdown.startsWith('# Strategy report: acme\n\nGenerated 2027-01-15 10:32 UTC by Throughline'));
    const rows = markdownTable(markdown, '## Coverage');
    assert.deepEqual(rows[0], ['Measure', 'Share', 'Count']);
    assert.deepEqual(rows[1], ['---', '---:', '---:']);
    assert.deepEqual(rows.slice(2), [
      ['Requirements traced', '**75%**', '9 / 12'],
      ['Outcomes delivered', '**71%**', '5 / 7'],
      ['Objectives with outcomes', '**100%**', '2 / 2'],
      ['Overall progress', '**48%**', 'mean of 1 measurable objective of 2'],
    ]);
  });

  test('shows objective progress as text bars and key results as tables', () => {
    assert.match(markdown, /### OBJ-1: Make paying an invoice effortless\n\n██████████░░░░░░░░░░ 48%\n/);
    assert.match(markdown, /### OBJ-2: Get paid before the due date\n\n_Not measurable yet._/);
    const rows = markdownTable(markdown, '### OBJ-1');
    assert.deepEqual(rows[2], ['**KR-1.1** Invoice payment conversion', '41% → **46%** → 55%', '████░░░░░░ 36%']);
    assert.deepEqual(markdownTable(markdown, '### OBJ-2')[2], ['**KR-2.1** Reminder adoption', '? → **?** → most', '_not measurable_']);
  });

  test('draws the alignment as a well-formed Mermaid graph', () => {
    const lines = mermaidBlock(markdown);
    assert.equal(lines[0], 'graph LR');
    const declared = new Map<string, string>();
    const edges: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const declaration = /^ {2}(n\d+|more_\w+)\["([^"]*)"\]$/.exec(line);
      const edge = /^ {2}(\S+) --> (\S+)$/.exec(line);
      if (declaration) declared.set(declaration[1]!, declaration[2]!);
      else if (edge) edges.push([edge[1]!, edge[2]!]);
      else assert.match(line, /^ {2}(classDef \w+ [\w#:,\- .]+|class [\w,]+ \w+)$/, line);
    }
    const labels = [...declared.values()];
    for (const id of ['VIS-1', 'OBJ-1', 'OBJ-2', 'KR-1.1', 'OUT-2', 'OUT-9', 'PRD-1'])
      assert.equal(labels.filter((label) => label.startsWith(id)).length, 1, id);
    assert.equal(edges.length, 12);
    for (const [from, to] of edges) assert.ok(declared.has(from) && declared.has(to), `${from} --> ${to}`);
    assert.ok(
      labels.some((label) => label === 'OBJ-1 #183; 48%<br/>Make paying an invoice effortless'),
      labels.join('\n'),
    );
  });

  test('escapes labels for Mermaid', () => {
    assert.equal(escapeMermaid('a "b" <c> & `d` #1'), 'a #34;b#34; #60;c#62; #38; #96;d#96; #35;1');
    const lines = mermaidBlock(renderReportMarkdown(sampleReport({ tree: [node('vision', 'VIS-1', 'Say "hi" <br> [x] | {y}')] })));
    assert.equal(lines[1], '  n0["VIS-1<br/>Say #34;hi#34; #60;br#62; #91;x#93; #124; #123;y#125;"]');
  });

  test('has portfolio tables with the innovation targets', () => {
    const rows = markdownTable(markdown, '### Innovation');
    assert.deepEqual(rows[0], ['Innovation', 'PRDs', 'Requirements', 'Target STR-1']);
    assert.deepEqual(rows.slice(2), [
      ['core', '3 (75%)', '10 (83%)', '70% (+5 pts)'],
      ['adjacent', '1 (25%)', '2 (17%)', '20% (+5 pts)'],
      ['disruptive', '0 (0%)', '0 (0%)', '10% (−10 pts)'],
    ]);
    assert.deepEqual(markdownTable(markdown, '### Horizon').at(-1), ['_not set_', '1 (25%)', '2 (17%)']);
  });

  test('lists problems with relative links to the line', () => {
    const rows = markdownTable(markdown, '## Problems (6)');
    assert.deepEqual(rows[0], ['Severity', 'Rule', 'Message', 'Location']);
    assert.equal(rows.length, 2 + 6);
    assert.deepEqual(rows[2], [
      'error',
      '`untraced-requirement`',
      'REQ-1.4 traces to no outcome: add a `Traces: OUT-…` line below it.',
      '[prds/guest-checkout.md:38](prds/guest-checkout.md#L38)',
    ]);
    assert.match(markdown, /3 errors · 2 warnings · 1 info/);
  });

  test('a `|` or markup in workspace text cannot break a table', () => {
    const report = sampleReport({
      problems: [
        { uri: 'file:///ws/a b|c.md', file: 'a b|c.md', line: 3, column: 1, severity: 'warning', rule: 'r', message: 'x | y <b>z</b> `a|b` [l](http://e)' },
      ],
      portfolio: { ...sampleReport().portfolio, dimensions: [dimension('team', [['Pay | Ments', 4, 12]])] },
    });
    const text = renderReportMarkdown(report);
    const problemRows = markdownTable(text, '## Problems');
    assert.equal(problemRows[2]!.length, 4);
    assert.deepEqual(problemRows[2], ['warning', '`r`', 'x \\| y \\<b\\>z\\</b\\> `a\\|b` \\[l\\](http://e)', '[a b\\|c.md:3](a%20b%7Cc.md#L3)']);
    const team = markdownTable(text, '### Team');
    assert.deepEqual(team[2], ['Pay \\| Ments', '4 (100%)', '12 (100%)']);
  });
});

describe('reports of a 10,000-PRD workspace', () => {
  /** 200 objectives × 3 key results, 1,200 outcomes (2 per key result), 10,000 PRDs of 10 requirements, 12,000 problems, 60 owners. */
  function largeReport(): StrategyReport {
    const objectives: ObjectiveProgress[] = [];
    const objectiveNodes: AlignmentNode[] = [];
    let prd = 0;
    for (let o = 1; o <= 200; o++) {
      const keyResults: KeyResultProgress[] = [];
      const keyResultNodes: AlignmentNode[] = [];
      for (let k = 1; k <= 3; k++) {
        const outcomes: AlignmentNode[] = [];
        for (let u = 1; u <= 2; u++) {
          const prds: AlignmentNode[] = [];
          for (let p = 0; p < 9 && prd < 10000; p++, prd++)
            prds.push(
              prdGroup(
                `PRD-${prd}`,
                `PRD number ${prd}`,
                Array.from({ length: 10 }, (_, r) => `REQ-${prd}.${r}`),
              ),
            );
          outcomes.push(outcome(`OUT-${o}.${k}.${u}`, `Outcome ${o}.${k}.${u}`, prds));
        }
        keyResults.push(keyResult(`KR-${o}.${k}`, `Key result ${o}.${k}`, ((o * k) % 100) / 100, '0', '5', '10'));
        keyResultNodes.push(node('keyResult', `KR-${o}.${k}`, `Key result ${o}.${k}`, outcomes));
      }
      objectives.push({ id: `OBJ-${o}`, title: `Objective ${o}`, uri: STRATEGY_URI, range: RANGE, progress: (o % 10) / 10, keyResults });
      objectiveNodes.push(node('objective', `OBJ-${o}`, `Objective ${o}`, keyResultNodes));
    }
    const problems: ReportProblem[] = Array.from({ length: 12000 }, (_, index) => ({
      uri: `file:///ws/prds/prd-${index}.md`,
      file: `prds/prd-${index}.md`,
      line: 10,
      column: 1,
      severity: index % 3 === 0 ? 'error' : 'warning',
      rule: 'untraced-requirement',
      message: `REQ-${index}.1 traces to no outcome: add a \`Traces: OUT-…\` line below it.`,
    }));
    const owners = dimension(
      'owner',
      Array.from({ length: 60 }, (_, index): [string, number, number] => [`owner-${index}@acme.test`, 10000 / 60, 100000 / 60]),
    );
    return sampleReport({
      objectives,
      tree: [node('vision', 'VIS-1', 'Vision', objectiveNodes)],
      problems,
      portfolio: {
        prds: 10000,
        requirements: 100000,
        dimensions: [
          dimension('innovation', [
            ['core', 7000, 70000],
            ['adjacent', 3000, 30000],
          ]),
          owners,
        ],
        innovationTargets: [],
      },
    });
  }
  const report = largeReport();

  test('the graph keeps a bounded number of nodes per column and says how many it leaves out', () => {
    const graph = buildAlignmentGraph(report.tree);
    const byColumn = new Map(graph.layers.map((layer) => [layer.column, layer]));
    assert.equal(byColumn.get('objective')!.total, 200);
    assert.equal(byColumn.get('prd')!.total, 10000);
    for (const layer of graph.layers) {
      assert.ok(layer.nodes.length <= DEFAULT_GRAPH_LIMITS[layer.column], `${layer.column}: ${layer.nodes.length}`);
      assert.equal(layer.hidden, layer.total - layer.nodes.length);
    }
    // Taken in turns: each drawn key result has one of its outcomes drawn before any gets a second.
    const drawn = new Set(graph.layers.flatMap((layer) => layer.nodes.map((entry) => entry.key)));
    for (const keyResult of byColumn.get('keyResult')!.nodes) {
      assert.ok(
        graph.edges.some((edge) => edge.from === keyResult.key && drawn.has(edge.to)),
        `${keyResult.key} reaches an outcome`,
      );
    }
  });

  test('the HTML stays small: capped graph, objectives and problems, each saying what it leaves out', () => {
    const started = performance.now();
    const html = renderReportHtml(report, { theme: 'standalone' });
    const elapsed = performance.now() - started;
    assert.ok(html.length < 1_500_000, `${html.length} characters`);
    assert.ok(elapsed < 2000, `${Math.round(elapsed)} ms`);
    assert.equal((html.match(/<tr class="problem /g) ?? []).length, MAX_PROBLEM_ROWS);
    assert.match(html, /and 11,000 more problems: run <code>throughline check<\/code>/);
    assert.match(html, /\+188 more objectives/);
    assert.match(html, /\+9,984 more PRDs/);
    assert.match(html, /and 50 more objectives, not shown/);
    // Sixty owners fold into seven and "others", so that the chart keeps distinct colors.
    const owner = element(html, 'article', 'data-dimension="owner"');
    assert.equal((owner.match(/<tr data-value=/g) ?? []).length, 8);
    assert.match(owner, /53 others/);
  });

  test('the Markdown fits in a pull-request description (65,536 characters)', () => {
    const markdown = renderReportMarkdown(report);
    assert.ok(markdown.length < 65_536, `${markdown.length} characters`);
    assert.equal(markdownTable(markdown, '## Problems').length, 2 + MD_MAX_PROBLEMS);
    assert.match(markdown, /_and 11,900 more problems: run `throughline check` for the full list._/);
    const lines = mermaidBlock(markdown);
    assert.ok(lines.length < 200, `${lines.length} Mermaid lines`);
    assert.ok(lines.includes('  more_prd["+9,984 more PRDs"]'), lines.filter((line) => line.includes('more')).join('\n'));
  });
});

describe("the report's problem list, from the language service", () => {
  const strategy = (extra = '') => `---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: Grow\n### OUT-1: Pay\nSupports: OBJ-1\n${extra}`;
  const prd = (id: string, traces: string) => `---\ntype: prd\nid: ${id}\noutcomes: [OUT-1]\n---\n## REQ-${id}: Do it\nTraces: ${traces}\n`;
  const unknown = (problems: readonly WorkspaceProblem[]) =>
    problems.filter((problem) => problem.rule === 'unknown-reference').map((problem) => `${problem.file}:${problem.line} ${problem.message}`);

  test('follows edits, in the edited file and in the files whose problems it changed, and keeps the others as they were', async () => {
    const t = await createService({ 'strategy.md': strategy(), 'prds/a.md': prd('PRD-1', 'OUT-9'), 'prds/b.md': prd('PRD-2', 'OUT-8') });
    const first = t.service.workspaceProblems();
    assert.deepEqual(unknown(first), [
      'prds/a.md:7 OUT-9 is not defined anywhere in the workspace.',
      'prds/b.md:7 OUT-8 is not defined anywhere in the workspace.',
    ]);

    t.change('prds/a.md', prd('PRD-1', 'OUT-1'));
    const second = t.service.workspaceProblems();
    assert.deepEqual(unknown(second), ['prds/b.md:7 OUT-8 is not defined anywhere in the workspace.']);
    // b.md's diagnostics did not change: its problems are the ones listed before, not copies.
    const ofB = (problems: readonly WorkspaceProblem[]) => problems.filter((problem) => problem.file === 'prds/b.md');
    assert.ok(ofB(second).length > 0 && ofB(second).every((problem, index) => problem === ofB(first)[index]));

    // Defining OUT-8 in the strategy changes b.md's problems without editing b.md.
    t.change('strategy.md', strategy('### OUT-8: Get paid\nSupports: OBJ-1\n'));
    assert.deepEqual(unknown(t.service.workspaceProblems()), []);
    t.change('strategy.md', strategy());
    assert.deepEqual(unknown(t.service.workspaceProblems()), ['prds/b.md:7 OUT-8 is not defined anywhere in the workspace.']);
  });

  test('names files as the caller asks, without taking the kept list', async () => {
    const t = await createService({ 'strategy.md': strategy(), 'prds/b.md': prd('PRD-2', 'OUT-8') });
    assert.deepEqual(unknown(t.service.workspaceProblems()), ['prds/b.md:7 OUT-8 is not defined anywhere in the workspace.']);
    assert.deepEqual(unknown(t.service.workspaceProblems((uri) => `<${uri.split('/').pop()!}>`)), ['<b.md>:7 OUT-8 is not defined anywhere in the workspace.']);
    assert.deepEqual(unknown(t.service.workspaceProblems()), ['prds/b.md:7 OUT-8 is not defined anywhere in the workspace.']);
  });
});
