import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ITEM_KINDS } from '../../server/src/service/model.ts';
import { RULES } from '../../server/src/service/ruleCatalog.ts';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { properties?: Record<string, { enum: string[] }>; additionalProperties?: { enum: string[] } }> } };
};
const settings = manifest.contributes.configuration.properties;

test('the throughline.rules setting lists exactly the rules the server reports, with every severity and off', () => {
  const ruleSettings = settings['throughline.rules']!.properties!;
  assert.deepEqual(Object.keys(ruleSettings).sort(), RULES.map((rule) => rule.name).sort());
  for (const [name, setting] of Object.entries(ruleSettings)) assert.deepEqual(setting.enum, ['error', 'warning', 'info', 'hint', 'off'], name);
});

test('the throughline.prefixes setting offers exactly the item kinds', () => {
  assert.deepEqual(settings['throughline.prefixes']!.additionalProperties!.enum, [...ITEM_KINDS]);
});
