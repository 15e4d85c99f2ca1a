/**
 * `throughline history KR-1.1 [folder] [--format text|json] [--config file]`: a key result's
 * check-ins (the values its `Current:` had in the folder's git history, oldest first, an
 * uncommitted value last) and the linear forecast they make (analysis/forecast.ts).
 *
 * An ID that is not defined, or is not a key result, is a usage error (one line, exit 2). A
 * folder without history (not in a repository, a shallow clone, no commits) gives an empty list
 * and one line saying why, exit 0.
 */
import { formatGrade, isoDay, keyResultOutlook, strategyPeriod, type KeyResultOutlook } from '../../service/analysis/forecast';
import { withArticle } from '../../service/model/model';
import { readFolderHistory } from '../../node/gitHistory';
import { todayFromEnvironment } from '../../node/today';
import { openWorkspace, relativeFile, UsageError, type CliIo } from '../common';
import { oneLineMessage, truncate } from '../output';
import { editDistance } from '../../service/parse/text';
import type { WorkspaceGraph } from '../../service/workspace/workspaceGraph';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { pathFromUri } from '../../node/fsWorkspace';
import { nestedRepositoryOf } from '../../node/workspaceRoot';

/**
 * Why `id` names no key result: a folder given where the ID goes (`history .`), or an ID with
 * key results a typo away (the closest three, as the unknown-link quick fix finds them).
 */
function unknownKeyResult(id: string, folder: string, graph: WorkspaceGraph): string {
  if (statSync(id, { throwIfNoEntry: false })?.isDirectory()) {
    return `${truncate(id, 100)} is a folder, not a key result ID: the ID comes first, e.g. \`throughline history KR-1.1 ${truncate(id, 100)}\``;
  }
  const typed = id.toUpperCase();
  const limit = Math.max(1, Math.min(3, Math.floor(typed.length / 3)));
  const close: { id: string; distance: number }[] = [];
  for (const known of graph.allIds()) {
    if (graph.definition(known)?.kind !== 'keyResult') continue;
    const distance = editDistance(typed, known.toUpperCase(), limit);
    if (distance <= limit) close.push({ id: known, distance });
  }
  close.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const suggestion =
    close.length > 0
      ? `; did you mean ${close
          .slice(0, 3)
          .map((candidate) => candidate.id)
          .join(', ')}?`
      : '';
  return `${truncate(id, 100)} is not defined in ${folder}${suggestion}`;
}

/** `folder` as typed relative to the workspace root, with `/` separators. */
function relativeFolder(root: string, folder: string): string {
  return path.relative(root, folder).split(path.sep).join('/');
}

/** Longest author name shown in the text columns. */
const AUTHOR_WIDTH = 24;

export async function runHistory(options: { id: string; folder: string; format: 'text' | 'json'; config?: string }, io: CliIo): Promise<number> {
  const { service, root } = await openWorkspace(options.folder, options.config, io.err);
  // As typed, or pasted with a space around it or in lower case.
  const typed = options.id.trim();
  const id = service.graph.definition(typed) ? typed : typed.toUpperCase();
  const item = service.graph.definition(id);
  if (!item) throw new UsageError(unknownKeyResult(typed, options.folder, service.graph));
  if (item.kind !== 'keyResult') throw new UsageError(`${id} is ${withArticle(item.kind)}, not a key result: only key results have check-ins`);
  const read = await readFolderHistory(root, service.newHistoryFold(), service).catch((error: unknown) => ({
    fold: undefined,
    unchangedSinceHead: undefined,
    note: `No history: ${oneLineMessage(error instanceof Error ? error.message : String(error))}.`,
  }));
  if (read.fold) await service.setHistory(read.fold, { unchangedSinceHead: read.unchangedSinceHead });
  const checkIns = service.strategyHistory?.checkIns(id, item.uri) ?? [];
  const todayTime = todayFromEnvironment()().getTime();
  const period = strategyPeriod(service.graph.document(item.uri), service.config.fiscalYear);
  const outlook = keyResultOutlook(item, checkIns, { separator: service.config.decimalSeparator, today: new Date(todayTime), ...(period ? { period } : {}) });
  const nested = read.fold ? nestedRepositoryOf(pathFromUri(item.uri), read.topLevel) : undefined;
  const note = nested
    ? `No history here: ${relativeFile(root, item.uri)} is in another git repository, ${relativeFolder(root, nested)} (a submodule or a clone inside this one); \`throughline history ${id} ${relativeFolder(root, nested)}\` reads its history.`
    : read.fold
      ? checkIns.length === 0
        ? 'No check-ins: the history has no `Current:` value for this key result.'
        : undefined
      : read.note;
  if (options.format === 'json') {
    io.json({
      id,
      title: item.title,
      file: relativeFile(root, item.uri),
      checkIns: outlook.checkIns.map((checkIn) => ({
        date: checkIn.date,
        commit: checkIn.commit?.sha ?? null,
        author: checkIn.commit?.author ?? null,
        value: checkIn.value,
        ...(checkIn.number !== undefined ? { number: checkIn.number } : {}),
        ...(checkIn.commit ? {} : { uncommitted: true }),
      })),
      ...(outlook.forecast ? { forecast: forecastJson(outlook) } : {}),
      ...(outlook.confidence ? { confidence: outlook.confidence.label } : {}),
      commitment: outlook.commitment,
      ...(outlook.grade !== undefined ? { grade: outlook.grade } : {}),
      ...(note !== undefined ? { note } : outlook.note !== undefined && outlook.checkIns.length > 0 ? { note: `No forecast: ${outlook.note}.` } : {}),
    });
    return 0;
  }
  io.out(`${id}: ${item.title} (${relativeFile(root, item.uri)})`);
  if (note !== undefined) io.out(note);
  const authors = Math.min(AUTHOR_WIDTH, Math.max(0, ...outlook.checkIns.map((checkIn) => checkIn.commit?.author.length ?? 0)));
  for (const checkIn of outlook.checkIns) {
    const commit = checkIn.commit ? checkIn.commit.sha.slice(0, 7) : 'uncommitted';
    const author = truncate(checkIn.commit?.author ?? '', AUTHOR_WIDTH).padEnd(authors);
    io.out(`${checkIn.date}  ${commit.padEnd(11)}  ${author}  ${checkIn.value}`.replace(/ +$/, ''));
  }
  if (outlook.grade !== undefined)
    io.out(
      `Grade: ${formatGrade(outlook.grade)} (${outlook.due && outlook.due.getTime() < todayTime ? `Due ${isoDay(outlook.due.getTime())} has passed` : 'the period has ended'})`,
    );
  else if (outlook.forecast) {
    const { forecast } = outlook;
    io.out(`Forecast: ${forecast.valueText} by ${forecast.dueDate} (${forecast.modelText}) · grade ${formatGrade(forecast.grade)} · ${forecast.status}`);
  } else if (outlook.note !== undefined && outlook.checkIns.length > 0) io.out(`No forecast: ${outlook.note}.`);
  if (outlook.confidence) io.out(`Confidence: ${outlook.confidence.label}`);
  return 0;
}

function forecastJson(outlook: KeyResultOutlook) {
  const forecast = outlook.forecast!;
  return {
    model: forecast.model,
    checkIns: forecast.checkIns,
    anchored: forecast.anchored,
    description: forecast.modelText,
    value: forecast.valueInUnit,
    valueText: forecast.valueText,
    unit: outlook.unit,
    due: forecast.dueDate,
    grade: forecast.grade,
    expectedGrade: forecast.expectedGrade,
    status: forecast.status,
  };
}
