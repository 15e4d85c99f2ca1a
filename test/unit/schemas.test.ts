import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { frontMatterJsonSchemas } from '../../server/src/service/model/schemas.ts';

test('the committed JSON Schemas match the zod schemas (run `npm run schemas` after changing them)', () => {
  for (const [type, schema] of Object.entries(frontMatterJsonSchemas())) {
    const committed: unknown = JSON.parse(readFileSync(`schemas/${type}.schema.json`, 'utf8'));
    assert.deepEqual(committed, schema, `schemas/${type}.schema.json is out of date`);
  }
});

test('the prd schema requires type and id, knows the enum values, and allows an empty optional key', () => {
  type Property = { enum?: string[]; type?: string; anyOf?: Property[] };
  const prd = frontMatterJsonSchemas()['prd'] as { required: string[]; properties: Record<string, Property> };
  assert.ok(prd.required.includes('type') && prd.required.includes('id'));
  const innovation = prd.properties['innovation']!.anyOf!;
  assert.deepEqual(innovation.find((option) => option.enum)?.enum, ['core', 'adjacent', 'disruptive']);
  assert.ok(
    innovation.some((option) => option.type === 'null'),
    'innovation: may be left empty',
  );
});
