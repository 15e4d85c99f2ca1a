import { attributeValue } from '../analysis/progress';
import { parseIsoDate, parseQuantity } from '../parse/quantity';
import { defineRule, itemsOfKind } from './rule';

export const unmeasurableKeyResult = defineRule({
  name: 'unmeasurable-key-result',
  severity: 'warning',
  description: 'A key result lacks a numeric `Baseline:`, a numeric `Target:` or a `Due:` date (YYYY-MM-DD).',
  check(context) {
    for (const keyResult of itemsOfKind(context.document, 'keyResult')) {
      const value = (name: string) => attributeValue(keyResult, name);
      const missing: string[] = [];
      if (!parseQuantity(value('baseline'))) missing.push('a numeric `Baseline:`');
      if (!parseQuantity(value('target'))) missing.push('a numeric `Target:`');
      if (!parseIsoDate(value('due'))) missing.push('a `Due:` date (YYYY-MM-DD)');
      if (missing.length === 0) continue;
      context.report({
        span: keyResult.idSpan,
        message: `${keyResult.id} is not measurable: it needs ${missing.join(', ').replace(/, ([^,]*)$/, ' and $1')}.`,
      });
    }
  },
});
