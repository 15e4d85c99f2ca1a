/** Rules on the figures of key results as written: numbers that cannot be read with certainty, and values that cannot be right. */
import { z } from 'zod';
import { attributeOf } from '../model/model';
import { BUILT_IN_ATTRIBUTE_KEYS } from '../model/config';
import { keyResultFigures, keyResultWeight } from '../analysis/progress';
import { parseCommitment, parseConfidence } from '../analysis/forecast';
import { parseFigure, type Quantity } from '../parse/quantity';
import { defineRule, itemsOfKind, replaceRangeAction } from './rule';

const FIGURES = ['baseline', 'target', 'current', 'weight'] as const;
const label = (name: string) => `\`${name[0]!.toUpperCase()}${name.slice(1)}:\``;

export const ambiguousNumber = defineRule({
  name: 'ambiguous-number',
  severity: 'warning',
  description:
    "A key result's figure has a number that cannot be read with certainty: its separators do not fit `decimalSeparator` (`45,5` with the default `.`), or, under `decimalSeparator: auto`, it reads two ways (`1,800`: 1800 or 1.8).",
  details: 'The figure is not read (no progress) until it is rewritten; the quick fixes write each reading.',
  fix: {
    data: z.object({ number: z.string(), readings: z.array(z.string()).max(2) }),
    actions: ({ document, diagnostic, data }) => {
      // The diagnostic has been to the editor and back: the range must still hold the number it named.
      if (document.getText(diagnostic.range) !== data.number) return [];
      return data.readings.map((reading) => replaceRangeAction(document, diagnostic, `Write ${reading}`, reading, data.readings.length === 1));
    },
  },
  check(context) {
    const separator = context.config.decimalSeparator;
    for (const keyResult of itemsOfKind(context.document, 'keyResult')) {
      for (const name of FIGURES) {
        const attribute = attributeOf(keyResult, name);
        const problem = attribute && parseFigure(attribute.value, separator).problem;
        if (!attribute || !problem) continue;
        const span = { line: attribute.line, start: attribute.valueStart + problem.start, end: attribute.valueStart + problem.end };
        const readings = problem.readings.join(' or ');
        const message =
          problem.kind === 'ambiguous'
            ? `${keyResult.id}: ${label(name)} ${problem.text} reads as ${readings}; write one of them, or set \`decimalSeparator\` (\`.\` or \`,\`) in .throughline.yml.`
            : separator === 'auto'
              ? `${keyResult.id}: ${label(name)} ${problem.text} is not a number: its separators do not group thousands in threes around one decimal mark.`
              : `${keyResult.id}: ${label(name)} ${problem.text} is not a number with \`decimalSeparator: '${separator}'\` (\`${separator === '.' ? ',' : '.'}\` groups thousands in threes). ${
                  problem.readings.length === 0
                    ? 'Write it without thousands separators'
                    : `Did you mean ${readings}? Write ${problem.readings.length === 1 ? 'that' : 'one of them'}`
                }, or set \`decimalSeparator\` in .throughline.yml.`;
        context.report({ span, message, ...(problem.readings.length ? { data: { number: problem.text, readings: [...problem.readings] } } : {}) });
      }
    }
  },
});

/** Units that count things: a negative number of them is a mistake. Singular and plural, lower case. */
const COUNT_UNITS: ReadonlySet<string> = new Set(
  [
    'user',
    'customer',
    'account',
    'person',
    'people',
    'member',
    'ticket',
    'incident',
    'bug',
    'defect',
    'request',
    'order',
    'signup',
    'download',
    'install',
    'visit',
    'visitor',
    'subscriber',
    'employee',
    'team',
    'deal',
    'lead',
  ].flatMap((word) => (word === 'people' ? [word] : [word, `${word}s`])),
);

const DURATIONS: ReadonlySet<string> = new Set(['time', 'calendar']);

function implausibleSign(quantity: Quantity): string | undefined {
  if (quantity.value >= 0) return undefined;
  if (DURATIONS.has(quantity.dimension)) return 'a duration cannot be negative';
  if (COUNT_UNITS.has(quantity.unit)) return `a count of ${quantity.unit} cannot be negative`;
  return undefined;
}

const within = (quantity: Quantity | undefined, low: number, high: number) => quantity !== undefined && quantity.value >= low && quantity.value <= high;

export const implausibleValue = defineRule({
  name: 'implausible-value',
  severity: 'warning',
  description:
    "A key result's figure cannot be right: a negative duration or count (`-3 days`, `-20 users`), or a `Current:` percentage outside 0–100% while its baseline and target are within it, or a signed `Target:` (`+10%`) that read as written points the other way from its baseline; or its `Weight:` is not a positive number (`3`, `75%`, `3x`), its `Confidence:` not `high`, `medium`, `low` or 1–10, or its `Commitment:` not `committed` or `aspirational`.",
  check(context) {
    for (const keyResult of itemsOfKind(context.document, 'keyResult')) {
      const figures = keyResultFigures(keyResult, context.config.decimalSeparator);
      const report = (name: 'baseline' | 'target' | 'current', reason: string) => {
        const attribute = attributeOf(keyResult, name);
        if (attribute) context.report({ span: attribute.valueSpan, message: `${keyResult.id}: ${label(name)} ${attribute.value.trim()}: ${reason}.` });
      };
      for (const name of ['baseline', 'target', 'current'] as const) {
        const quantity = figures[name];
        const reason = quantity && implausibleSign(quantity);
        if (reason) report(name, reason);
      }
      const { baseline, target, current } = figures;
      if (
        current?.unit === '%' &&
        baseline?.unit === '%' &&
        target?.unit === '%' &&
        within(baseline, 0, 100) &&
        within(target, 0, 100) &&
        !within(current, 0, 100)
      ) {
        report('current', `a share of a whole is between 0% and 100%, as the baseline (${baseline.value}%) and target (${target.value}%) are`);
      }
      // `Target: +10%` is almost always "ten points more": read as 10%, below a 50% baseline, it
      // made lower count as better, and a key result that fell showed progress.
      const targetAttribute = attributeOf(keyResult, 'target');
      const sign = targetAttribute?.value.trimStart()[0];
      if (baseline && target && baseline.dimension === target.dimension && (sign === '+' || sign === '-')) {
        // `-10%` under a share's baseline (0–100%) reads as a share below nothing: a change, too.
        const belowNothing = sign === '-' && target.unit === '%' && baseline.unit === '%' && target.value < 0 && within(baseline, 0, 100);
        const contradicts = belowNothing || (sign === '+' ? target.base < baseline.base : target.base > baseline.base);
        if (contradicts && baseline.unit !== target.unit) {
          report(
            'target',
            `read as ${target.value} ${target.unit}, on the other side of the baseline from what its sign says; a target is where the figure should end, not a change`,
          );
        } else if (contradicts) {
          const show = (value: number) => `${Number(value.toFixed(6))}${target.unit === '%' ? '%' : target.unit ? ` ${target.unit}` : ''}`;
          const change = target.unit === '%' ? `${Math.abs(target.value)} points` : show(Math.abs(target.value));
          const [side, better, meant] =
            sign === '+' ? ['below', 'lower', baseline.value + Math.abs(target.value)] : ['above', 'higher', baseline.value - Math.abs(target.value)];
          const reading = belowNothing
            ? 'a share below 0%'
            : `${side} the baseline (${attributeOf(keyResult, 'baseline')!.value.trim()}), so ${better} counts as better`;
          report(
            'target',
            `read as ${show(target.value)}, ${reading}; a target is where the figure should end, not a change: for ${change} ${sign === '+' ? 'above' : 'below'} the baseline, write ${show(meant)}`,
          );
        }
      }
      const weight = attributeOf(keyResult, 'weight');
      if (weight && keyResultWeight(weight.value, context.config.decimalSeparator) === undefined)
        context.report({
          span: weight.valueSpan,
          message: `${keyResult.id}: Weight ${weight.value.trim() || '(empty)'} is not read, so the key result weighs 1: write a positive number (weights are relative: 3 and 1, or 75% and 25%).`,
        });
      const confidence = attributeOf(keyResult, 'confidence');
      if (confidence && !parseConfidence(confidence.value))
        context.report({
          span: confidence.valueSpan,
          message: `${keyResult.id}: Confidence ${confidence.value.trim() || '(empty)'} is not read: write high, medium or low, or a score from 1 to 10.`,
        });
      const commitment = attributeOf(keyResult, 'commitment');
      if (commitment && !parseCommitment(commitment.value))
        context.report({
          span: commitment.valueSpan,
          message: `${keyResult.id}: Commitment ${commitment.value.trim() || '(empty)'} is not read: write committed (expected to reach 1.0) or aspirational (0.7); it counts as committed.`,
        });
    }
  },
});

/** Keys read as one value: a link key (`Traces`, `Supports`, `Depends on`) adds its IDs at each line instead. */
const SINGLE_VALUE_KEYS: ReadonlySet<string> = new Set([...BUILT_IN_ATTRIBUTE_KEYS].filter((key) => !['traces', 'supports', 'depends on'].includes(key)));

export const repeatedAttribute = defineRule({
  name: 'repeated-attribute',
  severity: 'warning',
  description:
    'An item gives a key Throughline reads once (`Current:`, `Target:`, `Due:`, `Status:`, …) more than once: only the first is read, whatever the others say.',
  check(context) {
    for (const item of context.document.items) {
      if (item.attributes.length < 2) continue;
      const seen = new Map<string, { value: string }>();
      for (const attribute of item.attributes) {
        if (!SINGLE_VALUE_KEYS.has(attribute.name)) continue;
        const first = seen.get(attribute.name);
        if (!first) {
          seen.set(attribute.name, { value: attribute.value.trim() });
          continue;
        }
        const key = `\`${attribute.key}:\``;
        const keep = attribute.name === 'current' ? 'keep the latest alone (git history keeps the earlier ones as check-ins)' : 'keep one';
        context.report({
          span: attribute.keySpan,
          message: `${item.id} gives ${key} more than once, and only the first (${first.value || 'empty'}) is read: ${keep}.`,
        });
      }
    }
  },
});
