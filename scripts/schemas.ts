// Writes the JSON Schemas of the front-matter types to schemas/ (checked by test/unit/schemas.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { frontMatterJsonSchemas } from '../server/src/service/model/schemas.ts';

mkdirSync('schemas', { recursive: true });
for (const [type, schema] of Object.entries(frontMatterJsonSchemas())) {
  writeFileSync(`schemas/${type}.schema.json`, JSON.stringify(schema, null, 2) + '\n');
}
