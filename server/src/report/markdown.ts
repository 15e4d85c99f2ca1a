/**
 * The strategy report as GitHub-flavoured Markdown, to paste into a pull request or an issue: the
 * same sections as the HTML report, tables for figures, text bars for progress, and the alignment
 * graph as a Mermaid `graph LR` built from the same bounded selection as the SVG.
 *
 * Pure, like the HTML renderer. GitHub refuses bodies over 65,536 characters, so the long parts
 * are capped more tightly than in HTML (MD_MAX_OBJECTIVES, MD_MAX_PROBLEMS), each with a line
 * saying how many it leaves out; the 10,000-PRD benchmark workspace stays under that limit.
 */
import { progressPercent, sharePercent } from '../../../common/wording';
import type { KeyResultProgress, ObjectiveProgress } from '../../../common/protocol';
import {
  coverageCards,
  dimensionChart,
  formatCount,
  formatGeneratedAt,
  problemCounts,
  sortedProblems,
  UNSET,
  type ChartBucket,
  type DimensionChart,
} from '../service/analysis/report/figures';
import { columnNoun, COLUMN_LABELS, type AlignmentGraph, type GraphNode } from '../service/analysis/report/graph';
import { reportAlignment, type ReportItem, type ReportProblem, type StrategyReport } from '../service/analysis/report/reportModel';
import { periodMarkdownLines } from './periodSection';
import { trendsMarkdownLines } from './trendSvg';

export const MD_MAX_OBJECTIVES = 30;
export const MD_MAX_PROBLEMS = 100;
const BAR_WIDTH = 20;

/** Plain text for Markdown (a table cell or a heading): nothing in it becomes markup, and `|` cannot end a cell. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|~#!]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;');
}

/**
 * A rule message: its `code` spans stay code, the rest is plain text. Inside a code span a
 * backslash is literal, except before `|`, which GitHub's tables need escaped everywhere.
 */
function messageMarkdown(message: string): string {
  const parts = message.replace(/[\r\n]+/g, ' ').split(/(`[^`]+`)/);
  return parts.map((part, index) => (index % 2 === 1 ? part.replace(/\|/g, '\\|') : escapeMarkdown(part))).join('');
}

/** `████████░░░░░░░░░░░░ 40%` */
function textBar(percent: number, width = BAR_WIDTH): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${percent}%`;
}

function table(head: readonly string[], align: readonly ('left' | 'right')[], rows: readonly (readonly string[])[]): string {
  const separator = align.map((side) => (side === 'right' ? '---:' : '---'));
  return [head, separator, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function renderReportMarkdown(report: StrategyReport): string {
  const alignment = reportAlignment(report);
  const sections = [
    renderHeader(report),
    renderCoverage(report),
    renderObjectives(report, alignment.items),
    renderAlignment(alignment.graph),
    ...(report.trends?.length ? [trendsMarkdownLines(report.trends, escapeMarkdown).join('\n')] : []),
    ...(report.period ? [periodMarkdownLines(report.period, 2).join('\n')] : []),
    renderPortfolio(report),
    renderProblems(report.problems),
  ];
  return `${sections.join('\n\n')}\n`;
}

function renderHeader(report: StrategyReport): string {
  const { coverage, portfolio } = report;
  const noun = (n: number, singular: string, plural = `${singular}s`) => `${formatCount(n)} ${n === 1 ? singular : plural}`;
  return [
    // Titles the service makes already say "Strategy report: acme".
    `# ${/^strategy report\b/i.test(report.title) ? escapeMarkdown(report.title) : `Strategy report: ${escapeMarkdown(report.title)}`}`,
    '',
    `Generated ${escapeMarkdown(formatGeneratedAt(report.generatedAt))} by Throughline · ${noun(coverage.objectives, 'objective')} · ${noun(coverage.outcomes, 'outcome')} · ${noun(portfolio.prds, 'PRD')} · ${noun(coverage.requirements, 'requirement')}`,
  ].join('\n');
}

function renderCoverage(report: StrategyReport): string {
  const { coverage } = report;
  const counts: Record<string, string> = {
    requirements: `${formatCount(coverage.tracedRequirements)} / ${formatCount(coverage.requirements)}`,
    outcomes: `${formatCount(coverage.deliveredOutcomes)} / ${formatCount(coverage.outcomes)}`,
    objectives: `${formatCount(coverage.objectivesWithOutcomes)} / ${formatCount(coverage.objectives)}`,
  };
  const rows = coverageCards(report).map((card) => [
    card.label,
    card.percent === undefined ? 'n/a' : `**${card.percent}%**`,
    counts[card.key] ?? escapeMarkdown(card.detail),
  ]);
  return `## Coverage\n\n${table(['Measure', 'Share', 'Count'], ['left', 'right', 'right'], rows)}`;
}

function keyResultRow(keyResult: KeyResultProgress, items: ReadonlyMap<string, ReportItem>): string[] {
  const values =
    keyResult.baseline !== undefined || keyResult.current !== undefined || keyResult.target !== undefined
      ? `${escapeMarkdown(keyResult.baseline ?? '?')} → **${escapeMarkdown(keyResult.current ?? '?')}** → ${escapeMarkdown(keyResult.target ?? '?')}`
      : '—';
  const measured =
    keyResult.retired !== undefined
      ? `_${escapeMarkdown(keyResult.retired)}, not counted_`
      : keyResult.progress === undefined
        ? '_not measurable_'
        : textBar(progressPercent(keyResult.progress), 10);
  const progress = keyResult.confidence === undefined ? measured : `${measured} · confidence ${escapeMarkdown(keyResult.confidence)}`;
  const owner = items.get(keyResult.id)?.owner;
  return [`**${escapeMarkdown(keyResult.id)}** ${escapeMarkdown(keyResult.title)}${owner ? ` · _${escapeMarkdown(owner)}_` : ''}`, values, progress];
}

function objectiveSection(objective: ObjectiveProgress, items: ReadonlyMap<string, ReportItem>): string {
  const percent = objective.progress === undefined ? undefined : progressPercent(objective.progress);
  const owner = items.get(objective.id)?.owner;
  const lines = [`#### ${escapeMarkdown(objective.id)}: ${escapeMarkdown(objective.title)}`, ''];
  if (owner) lines.push(`Owner: ${escapeMarkdown(owner)}`, '');
  lines.push(percent === undefined ? '_Not measurable yet._' : textBar(percent));
  if (objective.keyResults.length) {
    lines.push(
      '',
      table(
        ['Key result', 'Baseline → current → target', 'Progress'],
        ['left', 'left', 'left'],
        objective.keyResults.map((keyResult) => keyResultRow(keyResult, items)),
      ),
    );
  }
  return lines.join('\n');
}

/** `### STR-1: Payments` and its owner: the product line the objectives below belong to. */
function strategyHeading(strategyId: string | undefined, items: ReadonlyMap<string, ReportItem>): string {
  if (strategyId === undefined) return '### Objectives outside a strategy document';
  const node = items.get(strategyId);
  const title = node?.title && node.title !== strategyId ? `: ${escapeMarkdown(node.title)}` : '';
  return `### ${escapeMarkdown(strategyId)}${title}${node?.owner ? `\n\nOwner: ${escapeMarkdown(node.owner)}` : ''}`;
}

function renderObjectives(report: StrategyReport, items: ReadonlyMap<string, ReportItem>): string {
  const { objectives } = report;
  if (objectives.length === 0) return '## Objectives and key results\n\nNo objectives yet.';
  const shown = objectives.slice(0, MD_MAX_OBJECTIVES);
  const more = objectives.length - shown.length;
  const parts = ['## Objectives and key results'];
  let line: string | undefined | null = null;
  for (const objective of shown) {
    if (objective.strategyId !== line) parts.push(strategyHeading((line = objective.strategyId), items));
    parts.push(objectiveSection(objective, items));
  }
  if (more > 0) parts.push(`_and ${formatCount(more)} more ${more === 1 ? 'objective' : 'objectives'}; the HTML report (\`throughline report\`) lists more._`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/**
 * Text inside a quoted Mermaid label. Anything but letters, digits, spaces and plain punctuation
 * becomes a numeric entity (`#34;`), which Mermaid turns back into the character: quotes cannot
 * end the label, and `<`, `&` or backticks cannot become markup.
 */
export function escapeMermaid(text: string): string {
  let result = '';
  for (const char of text.replace(/[\r\n]+/g, ' ')) {
    result += /^[A-Za-z0-9 .,:;!?/_+%\-']$/.test(char) ? char : `#${char.codePointAt(0)!};`;
  }
  return result;
}

const MERMAID_CLASSES = [
  'classDef vision fill:#ede9fe,stroke:#7c3aed,color:#1b1f2b',
  'classDef objective fill:#dbeafe,stroke:#2563eb,color:#1b1f2b',
  'classDef keyResult fill:#ccfbf1,stroke:#0d9488,color:#1b1f2b',
  'classDef outcome fill:#ffedd5,stroke:#ea580c,color:#1b1f2b',
  'classDef prd fill:#f1f5f9,stroke:#64748b,color:#1b1f2b',
  'classDef flagged fill:#fff7ed,stroke:#d97706,stroke-dasharray:4 3,color:#1b1f2b',
  'classDef more fill:none,stroke:#94a3b8,stroke-dasharray:4 3,color:#5f6779',
];

function mermaidLabel(node: GraphNode): string {
  const badge =
    node.column === 'objective' || node.column === 'keyResult'
      ? node.progress === undefined
        ? ''
        : ` · ${progressPercent(node.progress)}%`
      : node.column === 'outcome'
        ? node.unaligned
          ? ' · unaligned'
          : node.undelivered
            ? ' · no PRD'
            : ''
        : node.column === 'prd'
          ? ` · ${formatCount(node.requirements)} req`
          : '';
  const title = node.title && node.title !== node.id ? node.title : '';
  const short = [...title].length > 48 ? `${[...title].slice(0, 47).join('').trimEnd()}…` : title;
  const head = escapeMermaid(`${node.id ?? 'file'}${badge}`);
  return short ? `${head}<br/>${escapeMermaid(short)}` : head;
}

function renderMermaid(graph: AlignmentGraph): string {
  const ids = new Map<string, string>();
  const lines = ['graph LR'];
  const byClass = new Map<string, string[]>();
  const addClass = (name: string, id: string) => {
    const list = byClass.get(name);
    if (list) list.push(id);
    else byClass.set(name, [id]);
  };
  for (const layer of graph.layers) {
    for (const node of layer.nodes) {
      const id = `n${ids.size}`;
      ids.set(node.key, id);
      lines.push(`  ${id}["${mermaidLabel(node)}"]`);
      addClass(node.undelivered || node.unaligned ? 'flagged' : node.kind === 'strategy' ? 'vision' : node.kind, id);
    }
    if (layer.hidden > 0) {
      const id = `more_${layer.column}`;
      const noun = columnNoun(layer.column, layer.hidden);
      lines.push(`  ${id}["${escapeMermaid(`+${formatCount(layer.hidden)} more ${noun}`)}"]`);
      addClass('more', id);
    }
  }
  for (const edge of graph.edges) lines.push(`  ${ids.get(edge.from)!} --> ${ids.get(edge.to)!}`);
  for (const definition of MERMAID_CLASSES) lines.push(`  ${definition}`);
  for (const [name, members] of byClass) lines.push(`  class ${members.join(',')} ${name}`);
  return lines.join('\n');
}

function renderAlignment(graph: AlignmentGraph): string {
  if (graph.layers.length === 0) return '## Alignment\n\nNothing to draw yet: no vision or strategy document in this workspace.';
  const capped = graph.layers.filter((layer) => layer.hidden > 0);
  const note = capped.length
    ? `\n\nShowing ${capped.map((layer) => `${formatCount(layer.nodes.length)} of ${formatCount(layer.total)} ${layer.column === 'prd' ? 'PRDs' : COLUMN_LABELS[layer.column].plural.toLowerCase()}`).join(', ')}.`
    : '';
  return `## Alignment${note}\n\n\`\`\`mermaid\n${renderMermaid(graph)}\n\`\`\``;
}

// ---------------------------------------------------------------------------------------------
// Portfolio and problems

function bucketLabel(bucket: ChartBucket): string {
  if (bucket.value === UNSET) return '_not set_';
  if (bucket.folded !== undefined) return `_${formatCount(bucket.folded)} others_`;
  return escapeMarkdown(bucket.value);
}

function dimensionTable(chart: DimensionChart, totals: { prds: number; requirements: number }): string {
  const head = [escapeMarkdown(chart.label), 'PRDs', 'Requirements', ...chart.targets.map((target) => `Target ${escapeMarkdown(target.strategyId)}`)];
  const rows = chart.buckets.map((bucket) => {
    const targets = chart.targets.map((target) => {
      const share = target.shares.find((candidate) => candidate.value === bucket.value);
      if (!share) return '—';
      // Against the PRDs that deliver this strategy, as innovation-mix-drift compares them.
      const gap = Math.round(share.actual - share.percent);
      return `${Math.round(share.percent)}% (${gap === 0 ? 'on target' : `${gap > 0 ? '+' : '−'}${Math.abs(gap)} pts`})`;
    });
    return [
      bucketLabel(bucket),
      `${formatCount(bucket.prds)} (${sharePercent(bucket.prds, totals.prds) ?? 0}%)`,
      `${formatCount(bucket.requirements)} (${sharePercent(bucket.requirements, totals.requirements) ?? 0}%)`,
      ...targets,
    ];
  });
  return `### ${escapeMarkdown(chart.label)}\n\n${table(
    head,
    head.map((_, index) => (index === 0 ? 'left' : 'right')),
    rows,
  )}`;
}

function renderPortfolio(report: StrategyReport): string {
  const { portfolio } = report;
  if (portfolio.prds === 0) return '## Portfolio balance\n\nNo PRDs yet.';
  const charts = portfolio.dimensions.map((dimension) => dimensionChart(dimension, portfolio.innovationTargets));
  const intro = `${formatCount(portfolio.prds)} ${portfolio.prds === 1 ? 'PRD' : 'PRDs'} and ${formatCount(portfolio.requirements)} ${portfolio.requirements === 1 ? 'requirement' : 'requirements'} by their front-matter.${portfolio.innovationTargets.length ? ' Targets are the strategies’ `innovation_mix`, as shares of PRDs; the gap is the share among the PRDs delivering that strategy minus its target.' : ''}`;
  return ['## Portfolio balance', intro, ...charts.map((chart) => dimensionTable(chart, portfolio))].join('\n\n');
}

/** `prds/a b.md` → `prds/a%20b.md`: a link destination that survives spaces and parentheses. */
function linkPath(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function renderProblems(problems: readonly ReportProblem[]): string {
  if (problems.length === 0) return '## Problems\n\nNo problems: every requirement traces to an outcome and every link resolves.';
  const { bySeverity } = problemCounts(problems);
  const summary = (['error', 'warning', 'info', 'hint'] as const)
    .filter((severity) => bySeverity[severity] > 0)
    .map((severity) => `${formatCount(bySeverity[severity])} ${severity === 'info' ? 'info' : bySeverity[severity] === 1 ? severity : `${severity}s`}`)
    .join(' · ');
  const sorted = sortedProblems(problems);
  const shown = sorted.slice(0, MD_MAX_PROBLEMS);
  const more = sorted.length - shown.length;
  const rows = shown.map((problem) => [
    problem.severity,
    `\`${problem.rule.replace(/[`|]/g, '')}\``,
    messageMarkdown(problem.message),
    `[${escapeMarkdown(`${problem.file}:${problem.line}`)}](${linkPath(problem.file)}#L${problem.line})`,
  ]);
  const parts = [
    `## Problems (${formatCount(problems.length)})`,
    summary,
    table(['Severity', 'Rule', 'Message', 'Location'], ['left', 'left', 'left', 'left'], rows),
  ];
  if (more > 0) parts.push(`_and ${formatCount(more)} more ${more === 1 ? 'problem' : 'problems'}: run \`throughline check\` for the full list._`);
  return parts.join('\n\n');
}
