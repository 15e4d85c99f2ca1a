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
import { plural, progressPercent, sharePercent } from '../../../common/wording';
import { OPEN_LOCATION_COMMAND, type KeyResultProgress, type ObjectiveProgress } from '../../../common/protocol';
import {
  coverageCards,
  dimensionChart,
  formatCount,
  formatGeneratedAt,
  problemCounts,
  sortedProblems,
  truncate,
  UNSET,
  type ChartBucket,
  type CoverageCard,
  type DimensionChart,
} from '../service/analysis/report/figures';
import { columnNoun, COLUMN_LABELS, type AlignmentGraph, type GraphNode } from '../service/analysis/report/graph';
import { reportAlignment, type ReportItem, type ReportProblem, type StrategyReport } from '../service/analysis/report/reportModel';
import { STANDALONE_THEME, STYLES, VSCODE_THEME } from './styles.generated';
import { renderPeriodHtml } from './periodSection';
import { renderTrendsHtml } from './trendSvg';

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
  const alignment = reportAlignment(report);
  const body = [
    renderHeader(report),
    '<main>',
    renderCoverage(report),
    renderObjectives(report, alignment.items),
    renderAlignment(alignment.graph),
    ...(report.trends?.length ? [renderTrendsHtml(report.trends)] : []),
    ...(report.period ? [renderPeriodHtml(report.period)] : []),
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

function keyResultRow(keyResult: KeyResultProgress, items: ReadonlyMap<string, ReportItem>): string {
  const percent = keyResult.progress === undefined ? undefined : progressPercent(keyResult.progress);
  const values =
    keyResult.baseline !== undefined || keyResult.current !== undefined || keyResult.target !== undefined
      ? `${keyResult.baseline === undefined ? '<span class="value missing" title="no baseline">?</span>' : `<span class="value">${escapeHtml(keyResult.baseline)}</span>`}<span class="arrow" aria-label="to">→</span>${keyResult.current === undefined ? '<span class="value missing" title="no current value">?</span>' : `<strong class="value current">${escapeHtml(keyResult.current)}</strong>`}<span class="arrow" aria-label="to">→</span>${keyResult.target === undefined ? '<span class="value missing" title="no target">?</span>' : `<span class="value">${escapeHtml(keyResult.target)}</span>`}`
      : '<span class="muted">no figures</span>';
  const progress =
    keyResult.retired !== undefined
      ? `<span class="muted retired">${escapeHtml(keyResult.retired)}, not counted</span>`
      : percent === undefined
        ? '<span class="muted not-measurable">not measurable</span>'
        : `${bar(percent, 'bar-small', `${keyResult.id} progress ${percent}%`)}<span class="kr-pct">${percent}%</span>`;
  const confidence =
    keyResult.confidence === undefined ? '' : ` <span class="muted confidence" title="confidence">confidence ${escapeHtml(keyResult.confidence)}</span>`;
  const weight =
    keyResult.weight !== 1 && Number.isFinite(keyResult.weight) ? ` <span class="weight" title="weight">×${escapeHtml(String(keyResult.weight))}</span>` : '';
  return `<tr class="kr" data-id="${escapeHtml(keyResult.id)}"${percent === undefined ? '' : ` data-progress="${percent}"`}><td class="kr-name"><span class="id">${escapeHtml(keyResult.id)}</span> ${escapeHtml(keyResult.title)}${weight}${ownerSpan(items.get(keyResult.id)?.owner)}</td><td class="kr-values">${values}</td><td class="kr-progress">${progress}${confidence}</td></tr>`;
}

/** ` · owner` after a title, muted. */
function ownerSpan(owner: string | undefined): string {
  return owner ? ` <span class="muted owner" title="owner">· ${escapeHtml(owner)}</span>` : '';
}

function objectiveCard(objective: ObjectiveProgress, items: ReadonlyMap<string, ReportItem>): string {
  const percent = objective.progress === undefined ? undefined : progressPercent(objective.progress);
  const rows = objective.keyResults.map((keyResult) => keyResultRow(keyResult, items)).join('\n');
  const table = objective.keyResults.length
    ? `<table class="krs"><thead><tr><th scope="col">Key result</th><th scope="col">Baseline → current → target</th><th scope="col">Progress</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p class="muted empty-krs">No key results.</p>';
  return `<article class="objective" data-id="${escapeHtml(objective.id)}"${percent === undefined ? '' : ` data-progress="${percent}"`}>
<div class="objective-head"><span class="chip k-objective">${escapeHtml(objective.id)}</span><h3>${escapeHtml(objective.title)}${ownerSpan(items.get(objective.id)?.owner)}</h3>${objective.strategyId ? `<span class="strategy">${escapeHtml(objective.strategyId)}</span>` : ''}<span class="objective-pct">${percent === undefined ? '<span class="na">not measurable</span>' : `${percent}%`}</span></div>
${bar(percent, 'bar-objective', `${objective.id} progress ${percent === undefined ? 'not measurable' : `${percent}%`}`)}
${table}
</article>`;
}

/** The product line the objective cards after it belong to: the strategy's ID, title and owner. */
function strategyHead(strategyId: string | undefined, items: ReadonlyMap<string, ReportItem>): string {
  if (strategyId === undefined) return '<h3 class="product-line">Objectives outside a strategy document</h3>';
  const node = items.get(strategyId);
  const title = node?.title && node.title !== strategyId ? ` ${escapeHtml(node.title)}` : '';
  return `<h3 class="product-line" data-id="${escapeHtml(strategyId)}"><span class="strategy">${escapeHtml(strategyId)}</span>${title}${ownerSpan(node?.owner)}</h3>`;
}

function renderObjectives(report: StrategyReport, items: ReadonlyMap<string, ReportItem>): string {
  const { objectives } = report;
  const shown = objectives.slice(0, MAX_OBJECTIVES);
  const more = objectives.length - shown.length;
  const cards: string[] = [];
  let line: string | undefined | null = null;
  for (const objective of shown) {
    if (objective.strategyId !== line) cards.push(strategyHead((line = objective.strategyId), items));
    cards.push(objectiveCard(objective, items));
  }
  const content = objectives.length
    ? `${cards.join('\n')}${more > 0 ? `\n<p class="more-note">and ${formatCount(more)} more ${more === 1 ? 'objective' : 'objectives'}, not shown to keep this report small.</p>` : ''}`
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
      const noun = columnNoun(layer.column, layer.hidden);
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
    const prdShare = sharePercent(bucket.prds, totals.prds);
    const requirementShare = sharePercent(bucket.requirements, totals.requirements);
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
