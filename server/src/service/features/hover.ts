import type { Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange } from '../model/ranges';
import { KIND_LABELS, retiredStatus, type Item } from '../model/model';
import { formatProgress, plural } from '../../../../common/wording';
import { keyResultProgress, objectiveProgress } from '../analysis/progress';
import { describeOutlook, formatGrade, isoDay, formatValue, keyResultOutlook, sparkline, strategyPeriod } from '../analysis/forecast';
import { keyResultsOf, outcomesSupporting, outcomesSupportingObjective, requirementsTracing, strategiesOf, objectivesOf } from '../workspace/relations';
import { FRONT_MATTER_KEYS } from '../model/schemas';
import { traceTargetKinds } from '../model/config';
import { chainsToVision, idAtPosition, type Position, type ServiceState } from '../workspace/state';

/** Chains to the vision a hover lists; the rest are counted. */
const MAX_CHAINS = 8;

/** Markdown describing an item: title, kind, status, owner, every chain to the vision, north star, every attribute, progress and counts. */
export function describeItem(state: ServiceState, item: Item): string {
  const { graph } = state;
  const lines: string[] = [`**${item.id}** — ${item.title || '_untitled_'}`, ''];
  const facts = [KIND_LABELS[item.kind]];
  if (item.status) facts.push(`status: ${item.status}`);
  if (item.owner) facts.push(`owner: ${item.owner}`);
  facts.push(`\`${state.displayPath(item.uri)}\``);
  lines.push(facts.join(' · '), '');
  const { chains, total } = chainsToVision(graph, item, MAX_CHAINS, traceTargetKinds(state.config));
  const written = chains
    .filter((chain) => chain.length > 1)
    .map((chain) => chain.map((link) => `${link.id}${link === item || !link.title ? '' : ` (${link.title})`}`).join(' → '));
  if (written.length === 1 && total === 1) lines.push(written[0]!, '');
  else if (written.length > 1) {
    lines.push(`${total} chains to the vision:`, '', ...written.map((chain) => `- ${chain}`));
    if (total > written.length) lines.push(`- … and ${total >= 1000 ? 'at least ' : ''}${total - written.length} more`);
    lines.push('');
  }
  const northStar = item.kind === 'vision' ? northStarOf(state, item) : undefined;
  if (northStar) lines.push(`North star: ${escapeCell(northStar)}`, '');
  if (item.attributes.length) {
    lines.push('| | |', '|---|---|');
    for (const attribute of item.attributes) lines.push(`| ${escapeCell(attribute.key)} | ${escapeCell(attribute.value)} |`);
    lines.push('');
  }
  const progress = progressLine(state, item);
  if (progress) lines.push(progress, '');
  // A retired key result has no course to show: its progress line says it is not counted.
  if (item.kind === 'keyResult' && retiredStatus(item) === undefined) lines.push(...checkInLines(state, item));
  lines.push(countsLine(state, item));
  const definitions = graph.definitionCount(item.id);
  if (definitions > 1) lines.push('', `⚠ ${item.id} is defined ${definitions} times.`);
  return lines.join('\n').trimEnd();
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * A vision's north star: the front-matter `north_star: {metric, target}` (or `northStar`, kept as an
 * unknown key), as "metric → target", or its text when it is one; else a `North star:` line
 * under the vision (which the attribute table shows too).
 */
function northStarOf(state: ServiceState, item: Item): string | undefined {
  const data = item.isDocument ? state.graph.document(item.uri)?.frontMatter?.data : undefined;
  for (const key of ['north_star', 'northStar']) {
    const value = data && Object.hasOwn(data, key) ? data[key] : undefined;
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const part = (name: string) => {
        const found = Object.hasOwn(record, name) ? record[name] : undefined;
        return typeof found === 'string' || typeof found === 'number' ? String(found) : undefined;
      };
      const metric = part('metric');
      const target = part('target');
      if (metric || target) return [metric, target].filter(Boolean).join(' → ');
    }
  }
  return item.attributes.find((attribute) => attribute.name === 'north star' || attribute.name === 'north_star')?.value;
}

/** A progress bar in text, which every Markdown renderer shows. */
function progressBar(progress: number, width = 10): string {
  // Rounded down like the percentage, so that only 100% draws a full bar.
  const filled = Math.floor(progress * width + 1e-9);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${formatProgress(progress)}`;
}

function progressLine(state: ServiceState, item: Item): string | undefined {
  if (item.kind === 'keyResult') {
    const { progress, retired } = keyResultProgress(item, state.config.decimalSeparator);
    if (retired !== undefined) return `Status ${retired}: not counted in ${item.parentId ?? 'its objective'}'s progress.`;
    return progress === undefined ? undefined : `Progress: ${progressBar(progress)}`;
  }
  if (item.kind === 'objective') {
    const objective = objectiveProgress(state.graph, item, state.config.decimalSeparator);
    if (objective.progress === undefined) return undefined;
    const measured = objective.keyResults.filter((keyResult) => keyResult.progress !== undefined && keyResult.retired === undefined).length;
    const retired = objective.keyResults.filter((keyResult) => keyResult.retired !== undefined).map((keyResult) => `${keyResult.id} ${keyResult.retired}`);
    return `Progress: ${progressBar(objective.progress)} (mean of ${plural(measured, 'key result')}${retired.length ? `; not counted: ${retired.join(', ')}` : ''})`;
  }
  return undefined;
}

/**
 * A key result's course: its grade when Due (or the period) has passed, its check-ins as a
 * sparkline with the trend and forecast, where it should be by today, and its confidence.
 */
function checkInLines(state: ServiceState, item: Item): string[] {
  const checkIns = state.history.checkIns(item.id, item.uri);
  const period = strategyPeriod(state.graph.document(item.uri), state.config.fiscalYear);
  const outlook = keyResultOutlook(item, checkIns, { separator: state.config.decimalSeparator, today: state.today(), ...(period ? { period } : {}) });
  const lines: string[] = [];
  if (outlook.grade !== undefined) {
    const when = outlook.due && state.today().getTime() > outlook.due.getTime() ? `Due ${isoDay(outlook.due.getTime())} has passed` : 'the period has ended';
    lines.push(`Grade: **${formatGrade(outlook.grade)}** (${when})`, '');
  }
  const numbers = outlook.checkIns.flatMap((checkIn) => (checkIn.number === undefined ? [] : [checkIn.number]));
  if (numbers.length > 0) {
    const course = describeOutlook(outlook);
    const values = `${formatValue(numbers[0]!, outlook.unit)}${numbers.length > 1 ? ` → ${formatValue(numbers.at(-1)!, outlook.unit)}` : ''}`;
    lines.push(
      `Check-ins: ${sparkline(numbers)} ${values} (${numbers.length === 1 ? '1 check-in' : `${numbers.length} check-ins`})${course ? ` · ${course}` : ''}`,
      '',
    );
  }
  if (outlook.pace && !outlook.ended && numbers.length > 0) {
    const { expectedValue, expectedProgress, actualProgress } = outlook.pace;
    const now = outlook.current === undefined ? '' : `${formatValue(outlook.current, outlook.unit)}, `;
    lines.push(
      `To date: ${now}${formatProgress(actualProgress)} of the way; the straight line from baseline to target expects ${formatValue(expectedValue, outlook.unit)} (${formatProgress(expectedProgress)}) by today.`,
      '',
    );
  }
  if (outlook.confidence)
    lines.push(`Confidence: ${outlook.confidence.label}${outlook.commitment === 'aspirational' ? ' · aspirational (expected grade 0.7)' : ''}`, '');
  else if (outlook.commitment === 'aspirational') lines.push('Aspirational (expected grade 0.7)', '');
  return lines;
}

function countsLine(state: ServiceState, item: Item): string {
  const { graph } = state;
  switch (item.kind) {
    case 'outcome': {
      const requirements = requirementsTracing(graph, item.id);
      return requirements.length ? `Traced by ${plural(requirements.length, 'requirement')}.` : 'No requirement traces to this outcome yet.';
    }
    case 'keyResult':
      return `Supported by ${plural(outcomesSupporting(graph, item.id).length, 'outcome')}.`;
    case 'objective': {
      const outcomes = outcomesSupportingObjective(graph, item.id);
      const requirements = new Set(outcomes.flatMap((outcome) => requirementsTracing(graph, outcome.id).map((requirement) => requirement.id)));
      return `${plural(keyResultsOf(graph, item.id).length, 'key result')} · ${plural(outcomes.length, 'outcome')} · ${plural(requirements.size, 'requirement')}.`;
    }
    case 'strategy':
      return `${plural(objectivesOf(graph, item.id).length, 'objective')}.`;
    case 'vision':
      const strategies = strategiesOf(graph, item.id).length;
      return `${plural(strategies, 'strategy', 'strategies')} point${strategies === 1 ? 's' : ''} to this vision.`;
    case 'prd':
      return `${plural(graph.childrenOf(item.id).filter((child) => child.kind === 'requirement').length, 'requirement')}.`;
    case 'requirement':
      return '';
  }
}

export function provideHover(state: ServiceState, document: TextDocument, position: Position): Hover | undefined {
  const index = state.currentIndex(document);
  if (!index?.participates) return undefined;
  const found = idAtPosition(index, position);
  if (found) {
    const item = found.item ?? state.graph.definition(found.id);
    const value = item ? describeItem(state, item) : `**${found.id}** is not defined anywhere in the workspace.`;
    return { contents: { kind: 'markdown', value }, range: toRange(found.span) };
  }
  const frontMatter = index.frontMatter;
  if (frontMatter && position.line > frontMatter.startLine && position.line < frontMatter.endLine) {
    const key = /^([A-Za-z_][\w-]*):/.exec(
      document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }),
    )?.[1];
    const keys = FRONT_MATTER_KEYS[frontMatter.type];
    const description = key && position.character <= key.length && Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (key && description)
      return { contents: { kind: 'markdown', value: `\`${key}\` — ${description}` }, range: toRange({ line: position.line, start: 0, end: key.length }) };
  }
  return undefined;
}
