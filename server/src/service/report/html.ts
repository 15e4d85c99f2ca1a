/**
 * The strategy report as one self-contained HTML5 document: inline CSS and inline SVG, no script,
 * no external URL, so that it can be mailed, attached to a CI run, or shown in a VS Code webview
 * whose Content-Security-Policy allows nothing but the nonce'd stylesheet.
 *
 * Pure: no node or vscode imports; the server and the CLI call it with a `StrategyReport`.
 *
 * Choices worth knowing:
 * - No `style="…"` attribute anywhere: a webview CSP with a style nonce blocks them. Widths of
 *   bars are SVG attributes (`<rect width="48%">`), colors come from classes.
 * - Every text from the workspace (titles, IDs, messages, paths) goes through `escapeHtml`, in
 *   element content and in attributes alike.
 * - Size is bounded whatever the workspace: the graph keeps `DEFAULT_GRAPH_LIMITS` nodes per
 *   column, the objectives list MAX_OBJECTIVES, the problems table MAX_PROBLEM_ROWS rows; each says
 *   how many it leaves out. The 10,000-PRD benchmark workspace gives about 0.5 MB.
 * - Problem locations: in the standalone report a link to the file's `file:` URI (opens the file in
 *   the browser, or wherever the OS sends it). In the VS Code theme a `command:` link to
 *   OPEN_LOCATION_COMMAND with the URI, line and column: VS Code webviews refuse `file:` links, and
 *   `vscode.open` would open the server's path on the window's machine, which is not where the
 *   files are in a remote window. The webview must list the command in `enableCommandUris`
 *   (scripts stay disabled — the workbench, not the page, handles the click).
 */
import { plural, progressPercent } from '../../../../common/wording';
import { OPEN_LOCATION_COMMAND, type AlignmentNodeKind, type KeyResultProgress, type ObjectiveProgress } from '../../../../common/protocol';
import {
  coverageCards,
  dimensionChart,
  formatCount,
  formatGeneratedAt,
  percentOf,
  problemCounts,
  sortedProblems,
  truncate,
  UNSET,
  type ChartBucket,
  type CoverageCard,
  type DimensionChart,
} from './figures';
import { buildAlignmentGraph, COLUMN_LABELS, type AlignmentGraph, type GraphNode } from './graph';
import type { ReportProblem, StrategyReport } from './reportModel';

export interface ReportHtmlOptions {
  readonly theme: 'standalone' | 'vscode';
  /** Required for the vscode theme: the stylesheet's nonce, named in the Content-Security-Policy. */
  readonly nonce?: string;
  /** The webview's `cspSource`, allowed for images besides `data:`. */
  readonly cspSource?: string;
}

/** Rows of the problems table; the rest is counted in a last row. */
export const MAX_PROBLEM_ROWS = 1000;
/** Objectives with their key results in the progress section; the rest is counted. */
export const MAX_OBJECTIVES = 150;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML element content or attribute value (always double-quoted attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Escaped text with `code` spans, as rule messages write them, shown as code. */
function messageHtml(message: string): string {
  return escapeHtml(message).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const NONCE = /^[A-Za-z0-9+/=_-]{8,}$/;

export function renderReportHtml(report: StrategyReport, options: ReportHtmlOptions): string {
  if (options.theme === 'vscode' && (!options.nonce || !NONCE.test(options.nonce))) {
    throw new Error('renderReportHtml: the vscode theme needs a nonce of at least 8 base64 characters');
  }
  if (options.nonce !== undefined && !NONCE.test(options.nonce)) throw new Error('renderReportHtml: the nonce must be base64 characters');
  const links: LinkStyle = options.theme === 'vscode' ? 'command' : 'file';
  const head: string[] = ['<meta charset="utf-8">'];
  if (options.theme === 'vscode') {
    const images = ['data:', ...(options.cspSource && !/[;'"\s]/.test(options.cspSource) ? [options.cspSource] : [])].join(' ');
    head.push(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${options.nonce}'; img-src ${escapeHtml(images)}; base-uri 'none'; form-action 'none'">`,
    );
  } else {
    head.push('<meta name="color-scheme" content="light dark">');
  }
  head.push(
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Throughline">',
    `<title>${escapeHtml(documentTitle(report.title))}</title>`,
    `<style${options.nonce ? ` nonce="${options.nonce}"` : ''}>${options.theme === 'vscode' ? VSCODE_THEME : STANDALONE_THEME}${STYLES}</style>`,
  );
  const body = [
    renderHeader(report),
    '<main>',
    renderCoverage(report),
    renderObjectives(report.objectives),
    renderAlignment(buildAlignmentGraph(report.tree)),
    renderPortfolio(report),
    renderProblems(report.problems, links),
    '</main>',
    `<footer>Made by Throughline (<code>throughline report</code>) from the workspace's Markdown on <time datetime="${escapeHtml(report.generatedAt)}">${escapeHtml(formatGeneratedAt(report.generatedAt))}</time>. Figures are as of that moment; run it again for fresh ones.</footer>`,
  ];
  return `<!DOCTYPE html>\n<html lang="en" class="theme-${options.theme}">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

// ---------------------------------------------------------------------------------------------
// Header and coverage

/** Titles the service makes already say what the page is ("Strategy report: acme"). */
const SAYS_REPORT = /^strategy report\b/i;

function documentTitle(title: string): string {
  return SAYS_REPORT.test(title) ? title : `Strategy report: ${title}`;
}

function renderHeader(report: StrategyReport): string {
  const { portfolio, coverage } = report;
  const facts = [
    `${formatCount(coverage.objectives)} ${coverage.objectives === 1 ? 'objective' : 'objectives'}`,
    `${formatCount(coverage.outcomes)} ${coverage.outcomes === 1 ? 'outcome' : 'outcomes'}`,
    `${formatCount(portfolio.prds)} ${portfolio.prds === 1 ? 'PRD' : 'PRDs'}`,
    `${formatCount(coverage.requirements)} ${coverage.requirements === 1 ? 'requirement' : 'requirements'}`,
  ];
  return `<header class="masthead">
<div class="masthead-inner">
<p class="eyebrow"><span class="logo" aria-hidden="true"></span>${SAYS_REPORT.test(report.title) ? 'Throughline' : 'Strategy report'}</p>
<h1>${escapeHtml(report.title)}</h1>
<p class="meta">Generated <time datetime="${escapeHtml(report.generatedAt)}">${escapeHtml(formatGeneratedAt(report.generatedAt))}</time> · ${facts.join(' · ')}</p>
<nav aria-label="Sections"><a href="#coverage">Coverage</a><a href="#objectives">Objectives</a><a href="#alignment">Alignment</a><a href="#portfolio">Portfolio</a><a href="#problems">Problems${report.problems.length ? ` <span class="nav-count">${formatCount(report.problems.length)}</span>` : ''}</a></nav>
</div>
</header>`;
}

function ring(percent: number | undefined, tone: CoverageCard['tone']): string {
  const value = percent ?? 0;
  return `<svg class="ring tone-${tone}" width="64" height="64" viewBox="0 0 64 64" aria-hidden="true"><circle class="ring-track" cx="32" cy="32" r="26"/>${
    value > 0 ? `<circle class="ring-fill" cx="32" cy="32" r="26" pathLength="100" stroke-dasharray="${value} 100" transform="rotate(-90 32 32)"/>` : ''
  }</svg>`;
}

function renderCoverage(report: StrategyReport): string {
  const { coverage } = report;
  const parts: Record<CoverageCard['key'], [number, number] | undefined> = {
    requirements: [coverage.tracedRequirements, coverage.requirements],
    outcomes: [coverage.deliveredOutcomes, coverage.outcomes],
    objectives: [coverage.objectivesWithOutcomes, coverage.objectives],
    progress: undefined,
  };
  const cards = coverageCards(report).map((card) => {
    const part = parts[card.key];
    const data = part ? ` data-part="${part[0]}" data-whole="${part[1]}"` : card.percent === undefined ? '' : ` data-percent="${card.percent}"`;
    return `<div class="card tone-${card.tone}" data-figure="${card.key}"${data}>
<div class="card-text"><p class="card-label">${escapeHtml(card.label)}</p><p class="card-value">${card.percent === undefined ? '<span class="na">n/a</span>' : `${card.percent}<span class="unit">%</span>`}</p><p class="card-detail">${escapeHtml(card.detail)}</p></div>
${ring(card.percent, card.tone)}
</div>`;
  });
  return `<section id="coverage" class="cards" aria-label="Coverage">\n${cards.join('\n')}\n</section>`;
}

// ---------------------------------------------------------------------------------------------
// Objectives and key results

function bar(percent: number | undefined, className: string, label: string): string {
  const height = className.includes('bar-small') ? 6 : 10;
  const radius = height / 2;
  const fill = percent !== undefined && percent > 0 ? `<rect class="bar-fill" width="${percent}%" height="${height}" rx="${radius}"/>` : '';
  return `<svg class="bar ${className}" width="100%" height="${height}" role="img" aria-label="${escapeHtml(label)}"><rect class="bar-track" width="100%" height="${height}" rx="${radius}"/>${fill}</svg>`;
}

function keyResultRow(keyResult: KeyResultProgress): string {
  const percent = keyResult.progress === undefined ? undefined : progressPercent(keyResult.progress);
  const values =
    keyResult.baseline !== undefined || keyResult.current !== undefined || keyResult.target !== undefined
      ? `${keyResult.baseline === undefined ? '<span class="value missing" title="no baseline">?</span>' : `<span class="value">${escapeHtml(keyResult.baseline)}</span>`}<span class="arrow" aria-label="to">→</span>${keyResult.current === undefined ? '<span class="value missing" title="no current value">?</span>' : `<strong class="value current">${escapeHtml(keyResult.current)}</strong>`}<span class="arrow" aria-label="to">→</span>${keyResult.target === undefined ? '<span class="value missing" title="no target">?</span>' : `<span class="value">${escapeHtml(keyResult.target)}</span>`}`
      : '<span class="muted">no figures</span>';
  const progress =
    percent === undefined
      ? '<span class="muted not-measurable">not measurable</span>'
      : `${bar(percent, 'bar-small', `${keyResult.id} progress ${percent}%`)}<span class="kr-pct">${percent}%</span>`;
  const weight =
    keyResult.weight !== 1 && Number.isFinite(keyResult.weight) ? ` <span class="weight" title="weight">×${escapeHtml(String(keyResult.weight))}</span>` : '';
  return `<tr class="kr" data-id="${escapeHtml(keyResult.id)}"${percent === undefined ? '' : ` data-progress="${percent}"`}><td class="kr-name"><span class="id">${escapeHtml(keyResult.id)}</span> ${escapeHtml(keyResult.title)}${weight}</td><td class="kr-values">${values}</td><td class="kr-progress">${progress}</td></tr>`;
}

function objectiveCard(objective: ObjectiveProgress): string {
  const percent = objective.progress === undefined ? undefined : progressPercent(objective.progress);
  const rows = objective.keyResults.map(keyResultRow).join('\n');
  const table = objective.keyResults.length
    ? `<table class="krs"><thead><tr><th scope="col">Key result</th><th scope="col">Baseline → current → target</th><th scope="col">Progress</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p class="muted empty-krs">No key results.</p>';
  return `<article class="objective" data-id="${escapeHtml(objective.id)}"${percent === undefined ? '' : ` data-progress="${percent}"`}>
<div class="objective-head"><span class="chip k-objective">${escapeHtml(objective.id)}</span><h3>${escapeHtml(objective.title)}</h3>${objective.strategyId ? `<span class="strategy">${escapeHtml(objective.strategyId)}</span>` : ''}<span class="objective-pct">${percent === undefined ? '<span class="na">not measurable</span>' : `${percent}%`}</span></div>
${bar(percent, 'bar-objective', `${objective.id} progress ${percent === undefined ? 'not measurable' : `${percent}%`}`)}
${table}
</article>`;
}

function renderObjectives(objectives: readonly ObjectiveProgress[]): string {
  const shown = objectives.slice(0, MAX_OBJECTIVES);
  const more = objectives.length - shown.length;
  const content = objectives.length
    ? `${shown.map(objectiveCard).join('\n')}${more > 0 ? `\n<p class="more-note">and ${formatCount(more)} more ${more === 1 ? 'objective' : 'objectives'}, not shown to keep this report small.</p>` : ''}`
    : '<p class="empty">No objectives yet: a strategy document lists them as <code>## OBJ-1: …</code> headings.</p>';
  return `<section id="objectives" class="panel">
<div class="panel-head"><h2>Objectives and key results</h2><p class="panel-note">Progress is (current − baseline) / (target − baseline) per key result, weighted per objective.</p></div>
<div class="objectives">
${content}
</div>
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Alignment graph

const NODE_W = 180;
const NODE_H = 64;
const COL_GAP = 44;
const ROW_GAP = 10;
const HEADER_H = 30;
const PAD = 6;
/** Characters per title line at 11px in the widest common sans-serif fonts. */
const TITLE_CHARS = 26;

/** A title in at most `maxLines` lines of at most `width` characters, broken at spaces; an ellipsis ends a title that did not fit. */
function wrapTitle(title: string, width: number, maxLines: number): string[] {
  const length = (text: string) => [...text].length;
  const words = title.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  let next = 0;
  while (next < words.length && lines.length < maxLines) {
    const word = words[next]!;
    const candidate = current ? `${current} ${word}` : word;
    if (length(candidate) <= width) {
      current = candidate;
      next++;
      continue;
    }
    if (!current) {
      // One word wider than a line: it gets a line of its own, cut below.
      current = word;
      next++;
    }
    lines.push(current);
    current = '';
  }
  if (current && lines.length < maxLines) {
    lines.push(current);
    current = '';
  }
  const result = lines.map((line) => truncate(line, width));
  const last = result.length - 1;
  if (last >= 0 && (next < words.length || current !== '') && !result[last]!.endsWith('…')) {
    const line = result[last]!;
    result[last] =
      length(line) < width
        ? `${line}…`
        : `${[...line]
            .slice(0, width - 1)
            .join('')
            .trimEnd()}…`;
  }
  return result;
}

function nodeBadge(node: GraphNode): string | undefined {
  if (node.column === 'objective' || node.column === 'keyResult') return node.progress === undefined ? undefined : `${progressPercent(node.progress)}%`;
  if (node.column === 'outcome') return node.unaligned ? 'unaligned' : node.undelivered ? 'no PRD' : `${formatCount(node.requirements)} req`;
  if (node.column === 'prd') return `${formatCount(node.requirements)} req`;
  return undefined;
}

function graphNode(node: GraphNode, x: number, y: number): string {
  const classes = ['node', `k-${node.kind === 'strategy' ? 'vision' : node.kind}`];
  if (node.undelivered || node.unaligned) classes.push('flagged');
  if (node.problems.errors > 0) classes.push('has-errors');
  else if (node.problems.warnings > 0) classes.push('has-warnings');
  const label = node.id ?? (node.kind === 'prd' ? 'file' : '');
  const title = node.title && node.title !== node.id ? node.title : '';
  const lines = wrapTitle(title, TITLE_CHARS, 2);
  const badge = nodeBadge(node);
  const tooltip = [node.id, title].filter(Boolean).join(': ');
  const problems = [node.problems.errors ? plural(node.problems.errors, 'error') : '', node.problems.warnings ? plural(node.problems.warnings, 'warning') : '']
    .filter(Boolean)
    .join(', ');
  const parts = [
    `<g class="${classes.join(' ')}" data-id="${escapeHtml(node.id ?? node.key)}" transform="translate(${x} ${y})">`,
    `<title>${escapeHtml(tooltip + (problems ? ` (${problems})` : '') + (node.undelivered ? ' — nothing delivers this outcome yet' : '') + (node.unaligned ? ' — supports no objective or key result' : ''))}</title>`,
    `<rect class="node-box" width="${NODE_W}" height="${NODE_H}" rx="8"/>`,
    `<rect class="node-accent" x="5" y="8" width="3" height="${NODE_H - 16}" rx="1.5"/>`,
    `<text class="node-id" x="15" y="18">${escapeHtml(truncate(label, 18))}</text>`,
  ];
  if (badge) parts.push(`<text class="node-badge" x="${NODE_W - 10}" y="18" text-anchor="end">${escapeHtml(badge)}</text>`);
  lines.forEach((line, index) => parts.push(`<text class="node-title" x="15" y="${33 + index * 13.5}">${escapeHtml(line)}</text>`));
  if ((node.column === 'objective' || node.column === 'keyResult') && node.progress !== undefined) {
    const width = NODE_W - 30;
    const fill = Math.round((width * progressPercent(node.progress)) / 100);
    parts.push(`<rect class="node-track" x="15" y="${NODE_H - 8}" width="${width}" height="3" rx="1.5"/>`);
    if (fill > 0) parts.push(`<rect class="node-progress" x="15" y="${NODE_H - 8}" width="${fill}" height="3" rx="1.5"/>`);
  }
  if (node.problems.errors || node.problems.warnings) {
    parts.push(`<circle class="node-dot" cx="${NODE_W - 4}" cy="4" r="4"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function renderGraphSvg(graph: AlignmentGraph): string {
  const columns = graph.layers.length;
  const rowsOf = (index: number) => graph.layers[index]!.nodes.length + (graph.layers[index]!.hidden > 0 ? 1 : 0);
  const maxRows = Math.max(1, ...graph.layers.map((_, index) => rowsOf(index)));
  const width = PAD * 2 + columns * NODE_W + (columns - 1) * COL_GAP;
  const height = PAD * 2 + HEADER_H + maxRows * NODE_H + (maxRows - 1) * ROW_GAP;
  const position = new Map<string, { x: number; y: number }>();
  const nodes: string[] = [];
  const headers: string[] = [];
  graph.layers.forEach((layer, column) => {
    const x = PAD + column * (NODE_W + COL_GAP);
    const top = PAD + HEADER_H + ((maxRows - rowsOf(column)) * (NODE_H + ROW_GAP)) / 2;
    const label = COLUMN_LABELS[layer.column];
    headers.push(
      `<text class="col-head" x="${x + 2}" y="${PAD + 12}">${escapeHtml(label.plural.toUpperCase())}<tspan class="col-count" dx="6">${formatCount(layer.total)}</tspan></text>`,
    );
    layer.nodes.forEach((node, row) => {
      const y = top + row * (NODE_H + ROW_GAP);
      position.set(node.key, { x, y });
      nodes.push(graphNode(node, x, y));
    });
    if (layer.hidden > 0) {
      const y = top + layer.nodes.length * (NODE_H + ROW_GAP);
      const noun = layer.hidden === 1 ? label.singular : layer.column === 'prd' ? 'PRDs' : `${label.singular}s`;
      nodes.push(
        `<g class="node more" transform="translate(${x} ${y})"><rect class="node-box" width="${NODE_W}" height="${NODE_H}" rx="8"/><text class="more-text" x="${NODE_W / 2}" y="${NODE_H / 2 + 4}" text-anchor="middle">+${formatCount(layer.hidden)} more ${escapeHtml(noun)}</text></g>`,
      );
    }
  });
  const edges = graph.edges.map((edge) => {
    const from = position.get(edge.from)!;
    const to = position.get(edge.to)!;
    const x1 = from.x + NODE_W;
    const y1 = from.y + NODE_H / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_H / 2;
    const bend = Math.max(24, (x2 - x1) / 2);
    const weight = edge.requirements ? Math.min(4, 1.25 + Math.log2(edge.requirements) * 0.75) : 1.5;
    // An outcome that supports its objective directly skips the key-result column: dashed, so that it does not read as ending at a key result it passes behind.
    const skips = x2 - x1 > COL_GAP + NODE_W;
    return `<path class="edge${skips ? ' skip' : ''}" d="M${x1} ${y1}C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}" stroke-width="${weight.toFixed(2)}"/>`;
  });
  return `<svg class="graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="graph-title">
<title id="graph-title">Alignment graph: vision, objectives, key results, outcomes and the PRDs that deliver them</title>
<g class="col-heads">${headers.join('')}</g>
<g class="edges">${edges.join('')}</g>
<g class="nodes">${nodes.join('\n')}</g>
</svg>`;
}

function renderAlignment(graph: AlignmentGraph): string {
  const capped = graph.layers.filter((layer) => layer.hidden > 0);
  const note = capped.length
    ? `<p class="panel-note">Showing ${capped.map((layer) => `${formatCount(layer.nodes.length)} of ${formatCount(layer.total)} ${layer.column === 'prd' ? 'PRDs' : COLUMN_LABELS[layer.column].plural.toLowerCase()}`).join(', ')}: the first branches of each parent, in turn.</p>`
    : '<p class="panel-note">Every item of the workspace, left to right from the vision to the PRDs that deliver it.</p>';
  const legend = (['vision', 'objective', 'keyResult', 'outcome', 'prd'] as const)
    .map(
      (kind) =>
        `<span class="legend-item"><span class="swatch k-${kind}"></span>${escapeHtml(COLUMN_LABELS[kind].plural === 'Vision' ? 'Vision or strategy' : COLUMN_LABELS[kind].plural)}</span>`,
    )
    .join('');
  const content = graph.layers.length
    ? `<div class="graph-scroll">\n${renderGraphSvg(graph)}\n</div>`
    : '<p class="empty">Nothing to draw yet: no vision or strategy document in this workspace.</p>';
  return `<section id="alignment" class="panel">
<div class="panel-head"><h2>Alignment</h2>${note}</div>
<p class="legend">${legend}<span class="legend-item"><span class="swatch flagged"></span>Outcome nothing delivers or that supports nothing</span><span class="legend-item"><span class="dot"></span>Has problems</span></p>
${content}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Portfolio

function colorClass(color: ChartBucket['color']): string {
  return typeof color === 'number' ? `s${color}` : `s-${color}`;
}

function bucketLabel(bucket: ChartBucket): string {
  if (bucket.value === UNSET) return 'not set';
  if (bucket.folded !== undefined) return `${formatCount(bucket.folded)} others`;
  return bucket.value;
}

/** Element IDs unique within one document (clip paths), the same for the same report. */
interface IdSource {
  next(prefix: string): string;
}

function idSource(): IdSource {
  let counter = 0;
  return { next: (prefix) => `${prefix}${++counter}` };
}

/** A 100% stacked bar; segments wide enough carry their percentage. */
function stackedBar(
  ids: IdSource,
  segments: readonly { label: string; value: number; color: ChartBucket['color'] }[],
  total: number,
  ariaLabel: string,
): string {
  const id = ids.next('clip');
  let offset = 0;
  const rects: string[] = [];
  const texts: string[] = [];
  for (const segment of segments) {
    if (segment.value <= 0 || total <= 0) continue;
    const share = (100 * segment.value) / total;
    rects.push(
      `<rect class="seg ${colorClass(segment.color)}" x="${offset.toFixed(3)}%" width="${share.toFixed(3)}%" height="22"><title>${escapeHtml(`${segment.label}: ${Math.round(share)}%`)}</title></rect>`,
    );
    if (share >= 9)
      texts.push(
        `<text class="seg-text${segment.color === 'unset' ? ' on-unset' : ''}" x="${(offset + share / 2).toFixed(3)}%" y="15" text-anchor="middle">${Math.round(share)}%</text>`,
      );
    offset += share;
  }
  return `<svg class="stack" width="100%" height="22" role="img" aria-label="${escapeHtml(ariaLabel)}"><clipPath id="${id}"><rect width="100%" height="22" rx="5"/></clipPath><g clip-path="url(#${id})"><rect class="stack-track" width="100%" height="22"/>${rects.join('')}</g>${texts.join('')}</svg>`;
}

function dimensionCard(ids: IdSource, chart: DimensionChart, totals: { prds: number; requirements: number }): string {
  const prdBar = stackedBar(
    ids,
    chart.buckets.map((bucket) => ({ label: bucketLabel(bucket), value: bucket.prds, color: bucket.color })),
    totals.prds,
    `${chart.label} by PRDs`,
  );
  const requirementBar = stackedBar(
    ids,
    chart.buckets.map((bucket) => ({ label: bucketLabel(bucket), value: bucket.requirements, color: bucket.color })),
    totals.requirements,
    `${chart.label} by requirements`,
  );
  const targetRows = chart.targets.map(
    (target) =>
      `<div class="stack-row target"><span class="stack-label">Target <span class="id">${escapeHtml(target.strategyId)}</span></span>${stackedBar(
        ids,
        target.shares.map((share) => ({ label: share.value, value: share.percent, color: share.color })),
        target.shares.reduce((sum, share) => sum + share.percent, 0),
        `${chart.label} target mix of ${target.strategyId}`,
      )}</div>`,
  );
  const targetHead = chart.targets.map((target) => `<th scope="col" class="num">Target <span class="id">${escapeHtml(target.strategyId)}</span></th>`).join('');
  const rows = chart.buckets.map((bucket) => {
    const prdShare = percentOf(bucket.prds, totals.prds);
    const requirementShare = percentOf(bucket.requirements, totals.requirements);
    const targets = chart.targets
      .map((target) => {
        const share = target.shares.find((candidate) => candidate.value === bucket.value);
        if (!share) return '<td class="num muted">—</td>';
        // Against the PRDs that deliver this strategy, as innovation-mix-drift compares them.
        const gap = Math.round(share.actual - share.percent);
        const gapText = gap === 0 ? 'on target' : `${gap > 0 ? '+' : '−'}${Math.abs(gap)} pts`;
        return `<td class="num">${Math.round(share.percent)}% <span class="gap ${Math.abs(share.actual - share.percent) <= target.tolerance ? 'gap-ok' : 'gap-off'}">${gapText}</span></td>`;
      })
      .join('');
    return `<tr data-value="${escapeHtml(bucket.value)}"><td><span class="swatch ${colorClass(bucket.color)}"></span>${escapeHtml(bucketLabel(bucket))}</td><td class="num">${formatCount(bucket.prds)}<span class="share">${prdShare ?? 0}%</span></td><td class="num">${formatCount(bucket.requirements)}<span class="share">${requirementShare ?? 0}%</span></td>${targets}</tr>`;
  });
  return `<article class="dimension" data-dimension="${escapeHtml(chart.name)}">
<h3>${escapeHtml(chart.label)}</h3>
<div class="stack-row"><span class="stack-label">PRDs</span>${prdBar}</div>
<div class="stack-row"><span class="stack-label">Requirements</span>${requirementBar}</div>
${targetRows.join('\n')}
<table class="legend-table"><thead><tr><th scope="col">${escapeHtml(chart.label)}</th><th scope="col" class="num">PRDs</th><th scope="col" class="num">Requirements</th>${targetHead}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
</article>`;
}

function renderPortfolio(report: StrategyReport): string {
  const { portfolio } = report;
  const charts = portfolio.dimensions.map((dimension) => dimensionChart(dimension, portfolio.innovationTargets));
  const ids = idSource();
  const content =
    portfolio.prds > 0
      ? `<div class="dimensions">\n${charts.map((chart) => dimensionCard(ids, chart, portfolio)).join('\n')}\n</div>`
      : '<p class="empty">No PRDs yet.</p>';
  return `<section id="portfolio" class="panel">
<div class="panel-head"><h2>Portfolio balance</h2><p class="panel-note">${formatCount(portfolio.prds)} ${portfolio.prds === 1 ? 'PRD' : 'PRDs'} and ${formatCount(portfolio.requirements)} ${portfolio.requirements === 1 ? 'requirement' : 'requirements'} by their front-matter: <code>innovation</code>, <code>track</code>, <code>horizon</code>, <code>owner</code>, <code>team</code>.${portfolio.innovationTargets.length ? ' Targets are the strategies’ <code>innovation_mix</code>, as shares of PRDs.' : ''}</p></div>
${content}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Problems

type LinkStyle = 'file' | 'command';

function locationHref(problem: ReportProblem, links: LinkStyle): string {
  if (links === 'file') return problem.uri;
  return `command:${OPEN_LOCATION_COMMAND}?${encodeURIComponent(JSON.stringify([problem.uri, problem.line, problem.column]))}`;
}

function renderProblems(problems: readonly ReportProblem[], links: LinkStyle): string {
  const { bySeverity, byRule } = problemCounts(problems);
  const sorted = sortedProblems(problems);
  const shown = sorted.slice(0, MAX_PROBLEM_ROWS);
  const more = sorted.length - shown.length;
  const rows = shown.map((problem) => {
    const location = `${problem.file}:${problem.line}`;
    return `<tr class="problem sev-${problem.severity}"><td><span class="pill ${problem.severity}">${problem.severity}</span></td><td><code class="rule">${escapeHtml(problem.rule)}</code></td><td class="message">${messageHtml(problem.message)}</td><td class="location"><a href="${escapeHtml(locationHref(problem, links))}" title="${escapeHtml(`${problem.file}:${problem.line}:${problem.column}`)}">${escapeHtml(location)}</a></td></tr>`;
  });
  if (more > 0)
    rows.push(
      `<tr class="more"><td colspan="4">and ${formatCount(more)} more ${more === 1 ? 'problem' : 'problems'}: run <code>throughline check</code> for the full list.</td></tr>`,
    );
  const severities = (['error', 'warning', 'info', 'hint'] as const)
    .filter((severity) => bySeverity[severity] > 0)
    .map(
      (severity) =>
        `<span class="pill ${severity}">${formatCount(bySeverity[severity])} ${severity === 'info' ? 'info' : bySeverity[severity] === 1 ? severity : `${severity}s`}</span>`,
    )
    .join(' ');
  const rules = byRule
    .slice(0, 8)
    .map((entry) => `<span class="rule-count"><code>${escapeHtml(entry.rule)}</code> ${formatCount(entry.count)}</span>`)
    .join('');
  const content = problems.length
    ? `<p class="problem-summary">${severities}<span class="rules">${rules}</span></p>
<div class="table-scroll"><table class="problems"><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Message</th><th scope="col">Location</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`
    : '<p class="all-clear"><span class="check" aria-hidden="true">✓</span>No problems: every requirement traces to an outcome and every link resolves.</p>';
  return `<section id="problems" class="panel">
<div class="panel-head"><h2>Problems${problems.length ? ` <span class="count">${formatCount(problems.length)}</span>` : ''}</h2>${more > 0 ? `<p class="panel-note">The first ${formatCount(MAX_PROBLEM_ROWS)}, errors first.</p>` : ''}</div>
${content}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Styles

const FONT_STACK = `-apple-system, BlinkMacSystemFont, "Segoe UI", "Inter", Roboto, "Helvetica Neue", Arial, "Liberation Sans", system-ui, sans-serif`;
const MONO_STACK = `ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace`;

const KINDS: readonly AlignmentNodeKind[] = ['vision', 'objective', 'keyResult', 'outcome', 'prd'];

const STANDALONE_THEME = `
:root {
  color-scheme: light dark;
  --bg: #f4f5f8; --surface: #ffffff; --surface-2: #f8f9fb; --fg: #1b1f2b; --muted: #5f6779; --faint: #8a92a3;
  --border: #e3e6ec; --track: #e8ebf0; --edge: #9aa3b5;
  --accent: #4f46e5; --link: #3b4fd8; --header-a: #eef0ff; --header-b: #f4f5f8;
  --good: #15924a; --fair: #d08700; --poor: #d92d20;
  --error: #d92d20; --error-bg: #fdecea; --warning: #b76e00; --warning-bg: #fff4dc; --info: #2f6fd6; --info-bg: #e8f0fd; --hint: #5f6779; --hint-bg: #eef0f3;
  --k-vision: #7c3aed; --k-objective: #2563eb; --k-keyResult: #0d9488; --k-outcome: #ea580c; --k-prd: #64748b;
  --s0: #4f46e5; --s1: #0ea5e9; --s2: #f59e0b; --s3: #10b981; --s4: #ec4899; --s5: #8b5cf6; --s6: #ef4444; --s7: #84cc16; --s-other: #94a3b8; --s-unset: #d5d9e1;
  --on-series: #ffffff; --on-unset: #4b5262;
  --font: ${FONT_STACK}; --mono: ${MONO_STACK}; --font-size: 14px;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.05), 0 1px 3px rgba(16, 24, 40, 0.07);
  --radius: 12px;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1016; --surface: #161a23; --surface-2: #1b202b; --fg: #e6e8ee; --muted: #a1a9ba; --faint: #7a8294;
    --border: #2a303d; --track: #262c38; --edge: #5d6679;
    --accent: #8b85ff; --link: #9aa5ff; --header-a: #1a1c33; --header-b: #0e1016;
    --good: #3ccf7a; --fair: #f2b53a; --poor: #ff6b5e;
    --error: #ff6b5e; --error-bg: #3a1a19; --warning: #f2b53a; --warning-bg: #372a12; --info: #6ea8ff; --info-bg: #172640; --hint: #a1a9ba; --hint-bg: #232834;
    --k-vision: #a78bfa; --k-objective: #60a5fa; --k-keyResult: #2dd4bf; --k-outcome: #fb923c; --k-prd: #94a3b8;
    --s0: #8b85ff; --s1: #38bdf8; --s2: #fbbf24; --s3: #34d399; --s4: #f472b6; --s5: #a78bfa; --s6: #f87171; --s7: #a3e635; --s-other: #64748b; --s-unset: #3a4150;
    --on-series: #0e1016; --on-unset: #c9cfdb;
    --shadow: none;
  }
}
`;

const VSCODE_THEME = `
:root {
  --bg: var(--vscode-editor-background); --surface: var(--vscode-editorWidget-background, var(--vscode-editor-background)); --surface-2: var(--vscode-editor-background);
  --fg: var(--vscode-foreground, var(--vscode-editor-foreground)); --muted: var(--vscode-descriptionForeground); --faint: var(--vscode-descriptionForeground);
  --border: var(--vscode-widget-border, var(--vscode-panel-border, rgba(128, 128, 128, 0.35))); --track: rgba(128, 128, 128, 0.22); --edge: var(--vscode-descriptionForeground);
  --accent: var(--vscode-charts-blue); --link: var(--vscode-textLink-foreground); --header-a: var(--vscode-editor-background); --header-b: var(--vscode-editor-background);
  --good: var(--vscode-charts-green); --fair: var(--vscode-charts-yellow); --poor: var(--vscode-charts-red);
  --error: var(--vscode-editorError-foreground, var(--vscode-charts-red)); --error-bg: transparent;
  --warning: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); --warning-bg: transparent;
  --info: var(--vscode-editorInfo-foreground, var(--vscode-charts-blue)); --info-bg: transparent;
  --hint: var(--vscode-descriptionForeground); --hint-bg: transparent;
  --k-vision: var(--vscode-charts-purple); --k-objective: var(--vscode-charts-blue); --k-keyResult: var(--vscode-charts-green); --k-outcome: var(--vscode-charts-orange); --k-prd: var(--vscode-descriptionForeground);
  --s0: var(--vscode-charts-blue); --s1: var(--vscode-charts-green); --s2: var(--vscode-charts-orange); --s3: var(--vscode-charts-purple); --s4: var(--vscode-charts-yellow); --s5: var(--vscode-charts-red);
  --s6: var(--vscode-textLink-foreground); --s7: var(--vscode-charts-foreground, var(--vscode-editor-foreground)); --s-other: var(--vscode-descriptionForeground); --s-unset: rgba(128, 128, 128, 0.3);
  --on-series: var(--vscode-editor-background); --on-unset: var(--vscode-editor-foreground);
  --font: var(--vscode-font-family, ${FONT_STACK}); --mono: var(--vscode-editor-font-family, ${MONO_STACK}); --font-size: var(--vscode-font-size, 13px);
  --shadow: none;
  --radius: 6px;
}
`;

const STYLES = `
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--fg); background: var(--bg); font-family: var(--font); font-size: var(--font-size); line-height: 1.5; -webkit-font-smoothing: antialiased; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: var(--mono); font-size: 0.9em; background: var(--track); padding: 0.05em 0.35em; border-radius: 4px; }
h1, h2, h3 { margin: 0; line-height: 1.25; }
.muted, .na { color: var(--muted); }
.id { font-family: var(--mono); font-size: 0.88em; font-weight: 600; color: var(--muted); }

.masthead { background: linear-gradient(180deg, var(--header-a), var(--header-b)); border-bottom: 1px solid var(--border); }
.masthead-inner { max-width: 1200px; margin: 0 auto; padding: 28px 24px 0; }
.eyebrow { margin: 0 0 6px; color: var(--accent); font-size: 12px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; display: flex; align-items: center; gap: 8px; }
.logo { width: 18px; height: 10px; border-radius: 5px; background: linear-gradient(90deg, var(--k-vision), var(--k-objective) 35%, var(--k-outcome) 70%, var(--k-prd)); display: inline-block; }
h1 { font-size: 30px; font-weight: 750; letter-spacing: -0.02em; overflow-wrap: anywhere; }
.meta { margin: 8px 0 18px; color: var(--muted); }
nav { display: flex; gap: 4px; flex-wrap: wrap; }
nav a { color: var(--muted); font-weight: 600; padding: 8px 12px 10px; border-bottom: 2px solid transparent; }
nav a:hover { color: var(--fg); border-bottom-color: var(--accent); text-decoration: none; }
.nav-count { display: inline-block; min-width: 20px; padding: 0 6px; border-radius: 10px; background: var(--error-bg); color: var(--error); font-size: 11px; text-align: center; }

main { max-width: 1200px; margin: 0 auto; padding: 24px; display: flex; flex-direction: column; gap: 24px; }
footer { max-width: 1200px; margin: 0 auto; padding: 8px 24px 32px; color: var(--faint); font-size: 12px; }

.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 16px; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); padding: 18px 18px 16px; display: flex; align-items: center; justify-content: space-between; gap: 12px; }
.card-label { margin: 0; color: var(--muted); font-size: 13px; font-weight: 650; }
.card-value { margin: 2px 0; font-size: 34px; font-weight: 750; letter-spacing: -0.02em; font-variant-numeric: tabular-nums; }
.card-value .unit { font-size: 20px; font-weight: 650; color: var(--muted); margin-left: 1px; }
.card-detail { margin: 0; color: var(--muted); font-size: 12.5px; }
.ring { flex: none; }
.ring circle { fill: none; stroke-width: 7; }
.ring-track { stroke: var(--track); }
.ring-fill { stroke-linecap: round; stroke: var(--accent); }
.tone-good .ring-fill { stroke: var(--good); }
.tone-fair .ring-fill { stroke: var(--fair); }
.tone-poor .ring-fill { stroke: var(--poor); }

.panel { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); padding: 22px 24px 24px; }
.panel-head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; flex-wrap: wrap; margin-bottom: 16px; }
h2 { font-size: 19px; font-weight: 700; letter-spacing: -0.01em; }
h2 .count { display: inline-block; vertical-align: 2px; margin-left: 6px; padding: 1px 8px; border-radius: 10px; background: var(--track); color: var(--muted); font-size: 12px; font-weight: 700; }
.panel-note { margin: 0; color: var(--muted); font-size: 12.5px; max-width: 720px; }
.empty, .more-note { color: var(--muted); margin: 0; }

.objectives { display: flex; flex-direction: column; gap: 14px; }
.objective { border: 1px solid var(--border); border-radius: calc(var(--radius) - 4px); padding: 14px 16px 10px; background: var(--surface-2); }
.objective-head { display: flex; align-items: center; gap: 10px; margin-bottom: 10px; }
.objective-head h3 { font-size: 15px; font-weight: 650; flex: 1; min-width: 0; }
.objective-pct { font-size: 20px; font-weight: 750; font-variant-numeric: tabular-nums; }
.objective-pct .na { font-size: 12px; font-weight: 600; }
.strategy { color: var(--faint); font-family: var(--mono); font-size: 11px; }
.chip { font-family: var(--mono); font-size: 11.5px; font-weight: 700; padding: 2px 8px; border-radius: 6px; color: var(--on-series); background: var(--k-objective); white-space: nowrap; }
.bar { display: block; }
.bar-track { fill: var(--track); }
.bar-fill { fill: var(--accent); }
.krs { width: 100%; border-collapse: collapse; margin-top: 10px; font-size: 13px; }
.krs th { text-align: left; color: var(--faint); font-size: 11px; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; padding: 4px 8px 4px 0; }
.krs td { padding: 7px 8px 7px 0; border-top: 1px solid var(--border); vertical-align: middle; }
.kr-name { width: 46%; }
.kr-values { white-space: nowrap; font-variant-numeric: tabular-nums; }
.kr-values .value { color: var(--muted); }
.kr-values .current { color: var(--fg); }
.kr-values .missing { color: var(--faint); }
.arrow { color: var(--faint); margin: 0 6px; }
.kr-progress { width: 26%; white-space: nowrap; }
.kr-progress .bar { display: inline-block; width: calc(100% - 48px); vertical-align: middle; }
.kr-pct { display: inline-block; width: 44px; text-align: right; font-weight: 650; font-variant-numeric: tabular-nums; }
.not-measurable { font-style: italic; font-size: 12px; }
.weight { color: var(--faint); font-size: 11px; }
.empty-krs { margin: 8px 0 4px; font-size: 12.5px; }

.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: -6px 0 14px; color: var(--muted); font-size: 12px; }
.legend-item { display: inline-flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 3px; background: var(--s-other); flex: none; }
.legend .swatch.flagged { background: transparent; border: 1.5px dashed var(--warning); }
.legend .dot { width: 8px; height: 8px; border-radius: 4px; background: var(--error); display: inline-block; }
.graph-scroll { overflow-x: auto; }
.graph { display: block; margin: 0 auto; font-family: var(--font); max-width: 100%; min-width: 760px; height: auto; }
.col-head { fill: var(--faint); font-size: 11px; font-weight: 700; letter-spacing: 0.08em; }
.col-count { fill: var(--muted); font-weight: 600; letter-spacing: 0; }
.edge { fill: none; stroke: var(--edge); stroke-opacity: 0.55; }
.edge.skip { stroke-dasharray: 5 4; stroke-opacity: 0.45; }
.node-box { fill: var(--surface); stroke: var(--border); stroke-width: 1.25; }
.node-id { fill: var(--fg); font-family: var(--mono); font-size: 11.5px; font-weight: 700; }
.node-title { fill: var(--muted); font-size: 11px; }
.node-badge { fill: var(--muted); font-size: 11px; font-weight: 700; font-variant-numeric: tabular-nums; }
.node-track { fill: var(--track); }
.node-progress { fill: var(--accent); }
.node-dot { fill: var(--warning); stroke: var(--surface); stroke-width: 1.5; }
.node.has-errors .node-dot { fill: var(--error); }
.node.flagged .node-box { stroke: var(--warning); stroke-dasharray: 4 3; }
.node.flagged .node-badge { fill: var(--warning); }
.node.more .node-box { fill: none; stroke: var(--border); stroke-dasharray: 4 3; }
.more-text { fill: var(--muted); font-size: 12px; font-weight: 600; }
${KINDS.map((kind) => `.k-${kind} .node-accent, .swatch.k-${kind} { fill: var(--k-${kind}); background: var(--k-${kind}); }\n.node.k-${kind} .node-id { fill: var(--k-${kind}); }`).join('\n')}
.chip.k-objective { background: var(--k-objective); }

.dimensions { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
/* An odd number of charts: the first (innovation, which carries the targets) takes the whole row. */
.dimension:first-child:nth-last-child(odd) { grid-column: 1 / -1; }
.dimension { border: 1px solid var(--border); border-radius: calc(var(--radius) - 4px); padding: 14px 16px; background: var(--surface-2); min-width: 0; }
.dimension h3 { font-size: 14px; font-weight: 700; margin-bottom: 10px; }
.stack-row { display: grid; grid-template-columns: 104px minmax(0, 1fr); align-items: center; gap: 10px; margin: 6px 0; }
.stack-label { color: var(--muted); font-size: 12px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.stack-row.target .stack { opacity: 0.72; }
.stack { display: block; }
.stack-track { fill: var(--track); }
.seg { stroke: var(--surface-2); stroke-width: 2; }
.seg-text { font-size: 11px; font-weight: 700; fill: var(--on-series); pointer-events: none; }
.seg-text.on-unset { fill: var(--on-unset); }
${Array.from({ length: 8 }, (_, index) => `.s${index} { fill: var(--s${index}); background: var(--s${index}); }`).join('\n')}
.s-other { fill: var(--s-other); background: var(--s-other); }
.s-unset { fill: var(--s-unset); background: var(--s-unset); }
.legend-table { width: 100%; border-collapse: collapse; margin-top: 12px; font-size: 12.5px; }
.legend-table th { text-align: left; color: var(--faint); font-size: 11px; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; padding: 4px 6px 4px 0; }
.legend-table td { padding: 5px 6px 5px 0; border-top: 1px solid var(--border); overflow-wrap: anywhere; }
.legend-table td .swatch { margin-right: 8px; vertical-align: -1px; }
.num, .legend-table th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.share { display: inline-block; min-width: 40px; color: var(--faint); margin-left: 6px; }
.gap { display: inline-block; margin-left: 6px; font-size: 11px; font-weight: 700; padding: 0 6px; border-radius: 8px; }
.gap-ok { color: var(--good); }
.gap-off { color: var(--warning); background: var(--warning-bg); }

.problem-summary { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: -4px 0 14px; }
.rules { display: inline-flex; flex-wrap: wrap; gap: 6px 14px; margin-left: 10px; color: var(--muted); font-size: 12px; }
.rule-count code { background: none; padding: 0; color: var(--muted); }
.pill { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 11.5px; font-weight: 700; text-transform: lowercase; white-space: nowrap; border: 1px solid transparent; }
.pill.error { color: var(--error); background: var(--error-bg); border-color: var(--error); }
.pill.warning { color: var(--warning); background: var(--warning-bg); border-color: var(--warning); }
.pill.info { color: var(--info); background: var(--info-bg); border-color: var(--info); }
.pill.hint { color: var(--hint); background: var(--hint-bg); border-color: var(--hint); }
.table-scroll { overflow-x: auto; }
.problems { width: 100%; border-collapse: collapse; font-size: 13px; }
.problems th { text-align: left; color: var(--faint); font-size: 11px; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; padding: 6px 12px 6px 0; border-bottom: 1px solid var(--border); }
.problems td { padding: 9px 12px 9px 0; border-bottom: 1px solid var(--border); vertical-align: top; }
.problems tr:last-child td { border-bottom: none; }
.problems .rule { background: none; padding: 0; color: var(--muted); white-space: nowrap; }
.problems .message { overflow-wrap: anywhere; }
.problems .location { font-family: var(--mono); font-size: 12px; white-space: nowrap; }
.problems tr.more td { color: var(--muted); font-style: italic; }
.all-clear { margin: 0; display: flex; align-items: center; gap: 10px; color: var(--good); font-weight: 600; }
.check { display: inline-flex; align-items: center; justify-content: center; width: 22px; height: 22px; border-radius: 11px; background: var(--good); color: var(--surface); font-size: 13px; }

@media (max-width: 1100px) {
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
@media (max-width: 900px) {
  .dimensions { grid-template-columns: minmax(0, 1fr); }
  .kr-name { width: auto; }
}
@media print {
  body, html { background: #fff; }
  .panel, .card { box-shadow: none; break-inside: avoid; }
  .objective, .dimension { break-inside: avoid; }
  nav { display: none; }
}
`;
