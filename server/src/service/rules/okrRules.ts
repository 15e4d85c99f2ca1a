/** Rules on the quality of objectives and key results: how many, how measurable, how timely. */
import { plural } from '../../../../common/wording';
import { attributeOf as attribute } from '../model/model';
import { attributeValue, keyResultFigures } from '../analysis/progress';
import { parseIsoDate, utcDay } from '../parse/quantity';
import { PERIOD_PATTERN } from '../model/schemas';
import { defineRule, itemsOfKind } from './rule';
import { keyResultsPerObjective, objectivesPerStrategy, outputVerbs } from '../model/thresholds';

export const keyResultCount = defineRule({
  name: 'key-result-count',
  severity: 'warning',
  description: ({ keyResultsMin, keyResultsMax }) => `An objective has fewer than ${keyResultsMin} or more than ${keyResultsMax} key results.`,
  thresholds: [keyResultsPerObjective],
  check(context) {
    const { keyResultsMin, keyResultsMax } = context.config.thresholds;
    // Counted in one pass: a strategy with thousands of objectives must not scan its items per objective.
    const keyResultsOf = new Map<string, number>();
    for (const item of context.document.items) {
      if (item.kind === 'keyResult' && item.parentId) keyResultsOf.set(item.parentId, (keyResultsOf.get(item.parentId) ?? 0) + 1);
    }
    for (const objective of itemsOfKind(context.document, 'objective')) {
      const count = keyResultsOf.get(objective.id) ?? 0;
      if (count >= keyResultsMin && count <= keyResultsMax) continue;
      const bound = count < keyResultsMin ? `at least ${keyResultsMin}` : `at most ${keyResultsMax}`;
      context.report({
        span: objective.idSpan,
        message: `${objective.id} has ${plural(count, 'key result')}; an objective needs ${bound} to be tracked without diluting focus.`,
      });
    }
  },
});

export const objectiveCount = defineRule({
  name: 'objective-count',
  severity: 'warning',
  description: ({ objectivesPerStrategy }) => `A strategy has more than ${objectivesPerStrategy} objectives for its period.`,
  thresholds: [objectivesPerStrategy],
  check(context) {
    const { document } = context;
    if (document.frontMatter?.type !== 'strategy') return;
    const strategy = document.items.find((item) => item.isDocument);
    if (!strategy) return;
    const count = itemsOfKind(document, 'objective').length;
    const max = context.config.thresholds.objectivesPerStrategy;
    if (count <= max) return;
    const period = document.frontMatter.data['period'];
    context.report({
      span: strategy.idSpan,
      message: `${strategy.id} has ${count} objectives${typeof period === 'string' ? ` for ${period}` : ''}; keep at most ${max} so each gets real attention.`,
    });
  },
});

/** One pattern per verb list (the configuration's), compiled once rather than per key result. */
const verbPatterns = new WeakMap<readonly string[], { verb: string; pattern: RegExp }[]>();

/** `verb`, `verbs`, `verbed`, `verbing` at the start of the title, as a whole word. */
function outputVerbAtStart(title: string, verbs: readonly string[]): string | undefined {
  let patterns = verbPatterns.get(verbs);
  if (!patterns) {
    patterns = verbs.map((verb) => {
      const phrase = verb
        .split(/\s+/)
        .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('\\s+');
      // `shipped`, `shipping`: inflections may double the verb's last letter.
      const lastLetter = phrase.slice(-1);
      return { verb, pattern: new RegExp(`^${phrase}(?:${/[a-z]/.test(lastLetter) ? `${lastLetter}?` : ''}(?:s|es|d|ed|ing))?(?![\\p{L}\\p{N}])`, 'u') };
    });
    verbPatterns.set(verbs, patterns);
  }
  const text = title.trim().toLowerCase();
  return patterns.find(({ pattern }) => pattern.test(text))?.verb;
}

export const outputKeyResult = defineRule({
  name: 'output-key-result',
  severity: 'info',
  description: ({ outputVerbs }) =>
    `A key result's title starts with an output verb (${outputVerbs.slice(0, 8).join(', ')}, …) instead of naming a measurable change.`,
  thresholds: [outputVerbs],
  check(context) {
    for (const keyResult of itemsOfKind(context.document, 'keyResult')) {
      const verb = outputVerbAtStart(keyResult.title, context.config.thresholds.outputVerbs);
      if (!verb) continue;
      context.report({
        span: keyResult.idSpan,
        message: `${keyResult.id} reads as an output ("${verb} …"), not a measurable change: state the outcome it should move, e.g. a rate, time or count with a baseline and target.`,
      });
    }
  },
});

const unitName = (unit: string) => (unit === '' ? 'a plain number' : `"${unit}"`);

export const keyResultTarget = defineRule({
  name: 'key-result-target',
  severity: 'error',
  description: "A key result's target equals its baseline, its target is in another unit than its baseline, or its `Current:` is not a number in that unit.",
  check(context) {
    for (const keyResult of itemsOfKind(context.document, 'keyResult')) {
      const figures = keyResultFigures(keyResult);
      const { baseline, target, current } = figures;
      // Missing or non-numeric baselines and targets are `unmeasurable-key-result`'s to report.
      if (!baseline || !target) continue;
      const targetAttribute = attribute(keyResult, 'target')!;
      if (target.unit !== baseline.unit) {
        context.report({
          span: targetAttribute.valueSpan,
          message: `${keyResult.id}: the target is in ${unitName(target.unit)} but the baseline in ${unitName(baseline.unit)}; use one unit so progress can be measured.`,
        });
        continue;
      }
      if (target.value === baseline.value) {
        context.report({
          span: targetAttribute.valueSpan,
          message: `${keyResult.id}: the target equals the baseline (${figures.targetText}), so there is no change to measure.`,
        });
      }
      const currentAttribute = attribute(keyResult, 'current');
      if (!currentAttribute) continue;
      if (!current) {
        context.report({
          span: currentAttribute.valueSpan,
          message: `${keyResult.id}: \`Current:\` must be a number in the unit of the baseline (${unitName(baseline.unit)}), e.g. ${figures.baselineText}.`,
        });
      } else if (current.unit !== baseline.unit) {
        context.report({
          span: currentAttribute.valueSpan,
          message: `${keyResult.id}: \`Current:\` is in ${unitName(current.unit)} but the baseline and target in ${unitName(baseline.unit)}.`,
        });
      }
    }
  },
});

/** First and last day of a period such as `2027`, `2027-H1` or `2027-Q3`, in UTC. */
function periodBounds(period: string): { start: Date; end: Date } | undefined {
  const match = PERIOD_PATTERN.exec(period.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  const part = match[2];
  let firstMonth = 0;
  let months = 12;
  if (part?.startsWith('H')) [firstMonth, months] = [(Number(part[1]) - 1) * 6, 6];
  else if (part?.startsWith('Q')) [firstMonth, months] = [(Number(part[1]) - 1) * 3, 3];
  return { start: utcDay(year, firstMonth, 1), end: utcDay(year, firstMonth + months, 0) };
}

export const dueOutsidePeriod = defineRule({
  name: 'due-outside-period',
  severity: 'warning',
  description: "A key result or outcome is due outside its strategy's `period`.",
  check(context) {
    const { document } = context;
    const period = document.frontMatter?.type === 'strategy' ? document.frontMatter.data['period'] : undefined;
    const bounds = typeof period === 'string' ? periodBounds(period) : undefined;
    if (!bounds || typeof period !== 'string') return;
    for (const item of document.items) {
      if ((item.kind !== 'keyResult' && item.kind !== 'outcome') || item.isDocument) continue;
      const due = attribute(item, 'due');
      const date = parseIsoDate(attributeValue(item, 'due'));
      if (!due || !date || (date >= bounds.start && date <= bounds.end)) continue;
      const day = (value: Date) => value.toISOString().slice(0, 10);
      context.report({
        span: due.valueSpan,
        message: `${item.id} is due ${day(date)}, outside the strategy's period ${period} (${day(bounds.start)} to ${day(bounds.end)}).`,
      });
    }
  },
});
