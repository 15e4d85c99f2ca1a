/** Rules on the quality of objectives and key results: how many, how measurable, how timely. */
import { z } from 'zod';
import { plural } from '../../../../common/wording';
import { attributeOf as attribute } from '../model/model';
import { attributeValue, keyResultFigures } from '../analysis/progress';
import { parseIsoDate, parsePeriod } from '../parse/quantity';
import { defineRule, itemsOfKind, liveItemsOfKind, liveKeyResults, replaceRangeAction } from './rule';
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
    // Retired key results (`Status: cancelled` …) count for nothing, here too.
    for (const item of liveKeyResults(context.document)) {
      if (item.parentId) keyResultsOf.set(item.parentId, (keyResultsOf.get(item.parentId) ?? 0) + 1);
    }
    for (const objective of liveItemsOfKind(context.document, 'objective')) {
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

export const keyResultWithoutObjective = defineRule({
  name: 'key-result-without-objective',
  severity: 'warning',
  description:
    "A key result is written under no objective (under a heading that is not an objective's, or before the first), so its progress counts toward nothing and the tree leaves it out.",
  check(context) {
    for (const keyResult of itemsOfKind(context.document, 'keyResult')) {
      if (keyResult.parentId !== undefined) continue;
      context.report({
        span: keyResult.idSpan,
        message: `${keyResult.id} is under no objective, so its progress counts toward none and the alignment tree leaves it out: move it under its objective's heading (\`## OBJ-…\`) or list item.`,
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
    // Retired objectives (`Status: deprecated` …) take no attention.
    const count = liveItemsOfKind(document, 'objective').length;
    const max = context.config.thresholds.objectivesPerStrategy;
    if (count <= max) return;
    const period = document.frontMatter.data['period'];
    context.report({
      span: strategy.idSpan,
      message: `${strategy.id} has ${count} objectives${typeof period === 'string' || typeof period === 'number' ? ` for ${period}` : ''}; keep at most ${max} so each gets real attention.`,
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
  description:
    "A key result's target equals its baseline, its target is in a unit that does not convert to its baseline's, or its `Current:` is not a number in such a unit.",
  details: 'Units of one dimension convert: `9 days` and `1 day`, `4 hours` and `1 minute`, `€` and `EUR`.',
  check(context) {
    for (const keyResult of itemsOfKind(context.document, 'keyResult')) {
      const figures = keyResultFigures(keyResult, context.config.decimalSeparator);
      const { baseline, target, current } = figures;
      // Missing or non-numeric baselines and targets are `unmeasurable-key-result`'s to report.
      if (!baseline || !target) continue;
      const targetAttribute = attribute(keyResult, 'target')!;
      if (target.dimension !== baseline.dimension) {
        context.report({
          span: targetAttribute.valueSpan,
          message: `${keyResult.id}: the target is in ${unitName(target.unit)} but the baseline in ${unitName(baseline.unit)}; use one unit so progress can be measured.`,
        });
        continue;
      }
      if (target.base === baseline.base) {
        context.report({
          span: targetAttribute.valueSpan,
          message: `${keyResult.id}: the target equals the baseline (${figures.targetText}), so there is no change to measure.`,
        });
      }
      const currentAttribute = attribute(keyResult, 'current');
      // A number that could not be read with certainty is `ambiguous-number`'s to report.
      if (!currentAttribute || figures.problems?.current) continue;
      if (!current) {
        context.report({
          span: currentAttribute.valueSpan,
          message: `${keyResult.id}: \`Current:\` must be a number in the unit of the baseline (${unitName(baseline.unit)}), e.g. ${figures.baselineText}.`,
        });
      } else if (current.dimension !== baseline.dimension) {
        context.report({
          span: currentAttribute.valueSpan,
          message: `${keyResult.id}: \`Current:\` is in ${unitName(current.unit)} but the baseline and target in ${unitName(baseline.unit)}.`,
        });
      }
    }
  },
});

const day = (value: Date) => value.toISOString().slice(0, 10);

export const dueOutsidePeriod = defineRule({
  name: 'due-outside-period',
  severity: 'warning',
  description: "A key result or outcome is due outside its strategy's `period`.",
  details:
    'Fiscal periods (`FY27`, `FY27-Q1`) count from `fiscalYearStart`, named after `fiscalYearNamedAfter`. The quick fix moves the date to the nearest day of the period.',
  fix: {
    data: z.object({ due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), bound: z.enum(['start', 'end']) }),
    actions: ({ document, diagnostic, data }) => {
      // The diagnostic has been to the editor and back: the range must still hold a date.
      if (!parseIsoDate(document.getText(diagnostic.range))) return [];
      return [
        replaceRangeAction(
          document,
          diagnostic,
          `Set the due date to the ${data.bound === 'end' ? 'last' : 'first'} day of the period (${data.due})`,
          data.due,
        ),
      ];
    },
  },
  check(context) {
    const { document } = context;
    const period = document.frontMatter?.type === 'strategy' ? document.frontMatter.data['period'] : undefined;
    const bounds = parsePeriod(period, context.config.fiscalYear);
    if (!bounds) return;
    for (const item of document.items) {
      if ((item.kind !== 'keyResult' && item.kind !== 'outcome') || item.isDocument) continue;
      const due = attribute(item, 'due');
      const date = parseIsoDate(attributeValue(item, 'due'));
      if (!due || !date || (date >= bounds.start && date <= bounds.end)) continue;
      const bound = date > bounds.end ? 'end' : 'start';
      const fiscal = bounds.fiscal ? 'fiscal ' : '';
      context.report({
        span: due.valueSpan,
        message: `${item.id} is due ${day(date)}, outside the strategy's ${fiscal}period ${String(period)} (${day(bounds.start)} to ${day(bounds.end)}).`,
        data: { due: day(bound === 'end' ? bounds.end : bounds.start), bound },
      });
    }
  },
});
