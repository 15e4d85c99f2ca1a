import type { CodeLens } from 'vscode-languageserver-types';
import { SHOW_REFERENCES_COMMAND } from '../../../../common/protocol';
import { toRange } from '../model/ranges';
import type { DocumentIndex } from '../model/model';
import { formatProgress, plural } from '../../../../common/wording';
import { keyResultProgress, objectiveProgress } from '../analysis/progress';
import { formatGrade, keyResultOutlook, strategyPeriod } from '../analysis/forecast';
import { keyResultsOf, outcomesSupporting, outcomesSupportingObjective, requirementsTracing } from '../workspace/relations';
import type { ServiceState } from '../workspace/state';

/**
 * Lenses above objectives, key results and outcomes saying what delivers them. Every lens runs
 * SHOW_REFERENCES_COMMAND with the places it counts (none for "nothing delivers this yet"): the
 * server executes it for any client, and the VS Code client peeks the places instead.
 */
export function provideCodeLenses(state: ServiceState, index: DocumentIndex | undefined): CodeLens[] {
  if (!index?.participates) return [];
  const { graph } = state;
  const lenses: CodeLens[] = [];
  const period = strategyPeriod(index, state.config.fiscalYear);
  for (const item of index.items) {
    if (item.isDocument) continue;
    const range = toRange(item.idSpan);
    let title: string | undefined;
    let locations: { uri: string; range: ReturnType<typeof toRange> }[] = [];
    if (item.kind === 'objective') {
      const outcomes = outcomesSupportingObjective(graph, item.id);
      const requirements = new Map(outcomes.flatMap((outcome) => requirementsTracing(graph, outcome.id)).map((requirement) => [requirement.id, requirement]));
      const keyResults = keyResultsOf(graph, item.id).length;
      const progress = objectiveProgress(graph, item, state.config.decimalSeparator).progress;
      title = `${progress === undefined ? '' : `objective ${formatProgress(progress)} · `}${plural(keyResults, 'key result')} · ${
        outcomes.length ? `${plural(outcomes.length, 'outcome')} · ${plural(requirements.size, 'requirement')}` : 'no outcome supports this yet'
      }`;
      locations = outcomes.map((outcome) => ({ uri: outcome.uri, range: toRange(outcome.idSpan) }));
    } else if (item.kind === 'keyResult') {
      // Progress only in the title: what delivers a key result shows on its outcomes' lenses. The
      // command lists the outcomes that support it.
      const { progress, retired } = keyResultProgress(item, state.config.decimalSeparator);
      locations = outcomesSupporting(graph, item.id).map((outcome) => ({ uri: outcome.uri, range: toRange(outcome.idSpan) }));
      if (retired !== undefined) {
        // Said rather than a share that counts for nothing.
        title = `KR ${retired} · not counted in ${item.parentId ?? 'its objective'}`;
      } else if (progress !== undefined) {
        const objective = item.parentId ? graph.definition(item.parentId) : undefined;
        const objectiveShare = objective?.kind === 'objective' ? objectiveProgress(graph, objective, state.config.decimalSeparator).progress : undefined;
        const outlook = keyResultOutlook(item, state.history.checkIns(item.id, item.uri), {
          separator: state.config.decimalSeparator,
          today: state.today(),
          ...(period ? { period } : {}),
        });
        // Past Due, the grade; before, the forecast's status when there are check-ins enough for one.
        const course = outlook.grade !== undefined ? `grade ${formatGrade(outlook.grade)}` : outlook.forecast?.status;
        const parts = [`KR ${formatProgress(progress)}`, course, outlook.confidence ? `confidence ${outlook.confidence.label}` : undefined];
        if (objectiveShare !== undefined) parts.push(`objective ${formatProgress(objectiveShare)}`);
        title = parts.filter(Boolean).join(' · ');
      }
    } else if (item.kind === 'outcome') {
      const requirements = requirementsTracing(graph, item.id);
      title = requirements.length ? plural(requirements.length, 'requirement') : 'no requirement delivers this yet';
      locations = requirements.map((requirement) => ({ uri: requirement.uri, range: toRange(requirement.idSpan) }));
    }
    if (title === undefined) continue;
    lenses.push({
      range,
      command: { title, command: SHOW_REFERENCES_COMMAND, arguments: [item.uri, range.start, locations] },
    });
  }
  return lenses;
}
