import { attributeValue, keyResultFigures } from '../analysis/progress';
import { parseIsoDate } from '../parse/quantity';
import { defineRule, liveKeyResults } from './rule';

export const unmeasurableKeyResult = defineRule({
  name: 'unmeasurable-key-result',
  severity: 'warning',
  description: 'A key result lacks a numeric `Baseline:`, a numeric `Target:` or a `Due:` date (YYYY-MM-DD).',
  details: 'A retired key result (`Status: deprecated`, `cancelled` …) counts for nothing and is not reported.',
  check(context) {
    for (const keyResult of liveKeyResults(context.document)) {
      const figures = keyResultFigures(keyResult, context.config.decimalSeparator);
      const missing: string[] = [];
      // A number that could not be read with certainty (`45,5`, `1,800`) is `ambiguous-number`'s to report.
      if (!figures.baseline && !figures.problems?.baseline) missing.push('a numeric `Baseline:`');
      if (!figures.target && !figures.problems?.target) missing.push('a numeric `Target:`');
      if (!parseIsoDate(attributeValue(keyResult, 'due'))) missing.push('a `Due:` date (YYYY-MM-DD)');
      if (missing.length === 0) continue;
      context.report({
        span: keyResult.idSpan,
        message: `${keyResult.id} is not measurable: it needs ${missing.join(', ').replace(/, ([^,]*)$/, ' and $1')}.`,
      });
    }
  },
});
