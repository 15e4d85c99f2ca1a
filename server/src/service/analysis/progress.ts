import type { KeyResultProgress, ObjectiveProgress } from '../../../../common/protocol';
import { toRange } from '../model/ranges';
import { attributeOf, retiredStatus, type Item } from '../model/model';
import type { DecimalSeparator } from '../model/config';
import { parseFigure, type NumberProblem, type Quantity } from '../parse/quantity';
import { keyResultsOf } from '../workspace/relations';
import { parseConfidence } from './confidence';
import type { GraphQueries } from '../workspace/workspaceGraph';

/** The numbers of a key result as written, parsed; `undefined` where the text is not a number. */
interface KeyResultFigures {
  readonly baselineText?: string;
  readonly targetText?: string;
  readonly currentText?: string;
  readonly baseline?: Quantity;
  readonly target?: Quantity;
  readonly current?: Quantity;
  /** Why a figure's number was not read (`45,5` under the decimal point, `1,800` under `auto`); `ambiguous-number` reports it. */
  readonly problems?: { readonly baseline?: NumberProblem; readonly target?: NumberProblem; readonly current?: NumberProblem };
  readonly weight: number;
}

export function attributeValue(item: Item, name: string): string | undefined {
  return attributeOf(item, name)?.value;
}

/**
 * A key result's figures, numbers read per `separator` (the configuration's `decimalSeparator`;
 * callers that have the configuration pass it, so views and rules read `45,5` alike).
 */
export function keyResultFigures(keyResult: Item, separator: DecimalSeparator = '.'): KeyResultFigures {
  const baselineText = attributeValue(keyResult, 'baseline');
  const targetText = attributeValue(keyResult, 'target');
  const currentText = attributeValue(keyResult, 'current');
  const baseline = parseFigure(baselineText, separator);
  const target = parseFigure(targetText, separator);
  const current = parseFigure(currentText, separator);
  const weight = keyResultWeight(attributeValue(keyResult, 'weight'), separator);
  const problems =
    baseline.problem || target.problem || current.problem
      ? {
          ...(baseline.problem ? { baseline: baseline.problem } : {}),
          ...(target.problem ? { target: target.problem } : {}),
          ...(current.problem ? { current: current.problem } : {}),
        }
      : undefined;
  return {
    baselineText,
    targetText,
    currentText,
    baseline: baseline.quantity,
    target: target.quantity,
    current: current.quantity,
    ...(problems ? { problems } : {}),
    // A weight that cannot be read is 1 rather than zeroing the key result (`implausible-value` says so).
    weight: weight ?? 1,
  };
}

/**
 * A key result's `Weight:`, relative to its siblings': a positive number, as a plain number, a
 * percentage (`80%` and `20%` weigh as `80` and `20`) or a multiple (`3x`). Undefined when there is
 * none or it cannot be read (`high`, `0`, `-2`).
 */
export function keyResultWeight(text: string | undefined, separator: DecimalSeparator = '.'): number | undefined {
  if (text === undefined) return undefined;
  const weight = parseFigure(text, separator).quantity;
  return weight && weight.value > 0 && (weight.unit === '' || weight.unit === '%' || weight.unit === 'x') ? weight.value : undefined;
}

/**
 * (current − baseline) / (target − baseline), clamped to 0–1. The formula holds for "lower is
 * better" targets too: both differences are negative. A key result without `Current:` has made no
 * progress yet (current = baseline), as OKR tools count a key result nobody has checked in on.
 * Units of one dimension convert (`9 days` → `1 day` with `Current: 4 hours`, `€` and `EUR`).
 * Undefined when the key result cannot be measured: baseline or target missing, target equal to
 * the baseline, or the three in different dimensions.
 */
export function progressOf(figures: KeyResultFigures): number | undefined {
  const { baseline, target } = figures;
  if (!baseline || !target || baseline.dimension !== target.dimension || baseline.base === target.base) return undefined;
  if (figures.currentText !== undefined && (!figures.current || figures.current.dimension !== baseline.dimension)) return undefined;
  const current = figures.current?.base ?? baseline.base;
  const share = (current - baseline.base) / (target.base - baseline.base);
  return Math.min(1, Math.max(0, share));
}

export function keyResultProgress(keyResult: Item, separator: DecimalSeparator): KeyResultProgress {
  const figures = keyResultFigures(keyResult, separator);
  return {
    id: keyResult.id,
    title: keyResult.title,
    uri: keyResult.uri,
    range: toRange(keyResult.idSpan),
    baseline: figures.baselineText,
    target: figures.targetText,
    current: figures.currentText,
    progress: progressOf(figures),
    weight: figures.weight,
    ...confidenceOf(keyResult),
    ...retiredOf(keyResult),
  };
}

function retiredOf(keyResult: Item): { retired?: string } {
  const retired = retiredStatus(keyResult);
  return retired ? { retired } : {};
}

/** `{ confidence: 'high' }` when the key result says how confident its owner is, readably. */
function confidenceOf(keyResult: Item): { confidence?: string } {
  const confidence = parseConfidence(attributeValue(keyResult, 'confidence'));
  return confidence ? { confidence: confidence.label } : {};
}

/** The weighted mean of the measurable key results that are not retired; undefined when none can be measured. */
export function objectiveProgress(graph: GraphQueries, objective: Item, separator: DecimalSeparator): ObjectiveProgress {
  const keyResults = keyResultsOf(graph, objective.id).map((keyResult) => keyResultProgress(keyResult, separator));
  let weighted = 0;
  let weights = 0;
  for (const keyResult of keyResults) {
    if (keyResult.progress === undefined || keyResult.retired !== undefined) continue;
    weighted += keyResult.progress * keyResult.weight;
    weights += keyResult.weight;
  }
  return {
    id: objective.id,
    title: objective.title,
    uri: objective.uri,
    range: toRange(objective.idSpan),
    strategyId: objective.documentId,
    progress: weights > 0 ? weighted / weights : undefined,
    keyResults,
  };
}
