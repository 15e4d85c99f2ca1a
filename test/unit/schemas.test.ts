import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { frontMatterJsonSchemas } from '../../server/src/service/schemas.ts';

test('the committed JSON Schemas match the zod schemas (run `npm run schemas` after changing them)', () => {
  for (const [type, schema] of Object.entries(frontMatterJsonSchemas())) {
    const committed: unknown = JSON.parse(readFileSync(`schemas/${type}.schema.json`, 'utf8'));
    assert.deepEqual(committed, schema, `schemas/${type}.schema.json is out of date`);
  }
});

test('the prd schema requires type and id and knows the enum values', () => {
  const prd = frontMatterJsonSchemas()['prd'] as { required: string[]; properties: Record<string, { enum?: string[] }> };
  assert.ok(prd.required.includes('type') && prd.required.includes('id'));
  assert.deepEqual(prd.properties['innovation']?.enum, ['core', 'adjacent', 'disruptive']);
});
