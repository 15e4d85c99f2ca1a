/**
 * What `npm run generate` derives from the rule list and the threshold declarations is committed
 * as generated: the settings in package.json and the rules table in docs/format.md.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generatedFormatDoc, generatedManifest, generatedReadme, REPORT_STYLES_PATH, reportStylesModule } from '../../scripts/generate.ts';
import { THRESHOLDS } from '../../server/src/service/model/config.ts';
import { RULE_LIST } from '../../server/src/service/rules/index.ts';

test("package.json's throughline.rules and throughline.thresholds settings are generated (run `npm run generate`)", () => {
  const text = readFileSync('package.json', 'utf8');
  assert.equal(text, generatedManifest(text), 'package.json is out of date: run `npm run generate`');
});

test("the report's stylesheets module is generated from its .css files (run `npm run generate`)", () => {
  assert.equal(readFileSync(REPORT_STYLES_PATH, 'utf8'), reportStylesModule(), `${REPORT_STYLES_PATH} is out of date: run \`npm run generate\``);
});

test('the rules table and thresholds of docs/format.md are generated (run `npm run generate`)', () => {
  const text = readFileSync('docs/format.md', 'utf8');
  assert.equal(text, generatedFormatDoc(text), 'docs/format.md is out of date: run `npm run generate`');
  for (const rule of RULE_LIST) assert.ok(text.includes(`<a id="rule-${rule.name}"></a>`), `docs/format.md has an anchor for ${rule.name}`);
});

test('every declared threshold is read by a rule, and every threshold a rule reads is declared', () => {
  const read = new Set<unknown>(RULE_LIST.flatMap((rule): readonly unknown[] => rule.thresholds));
  assert.equal(read.size, THRESHOLDS.length);
  for (const declared of THRESHOLDS) assert.ok(read.has(declared), `${declared.key} is read by a rule`);
});

test('no description repeats a threshold default by hand: each is derived from the declarations', () => {
  for (const rule of RULE_LIST) {
    for (const declared of rule.thresholds) {
      const defaults = Object.values(declared.defaults).filter((value): value is number => typeof value === 'number');
      for (const value of defaults) assert.ok(rule.description.includes(String(value)), `${rule.name} names the default ${value} of ${declared.key}`);
    }
  }
});

test("the README's settings table is generated from package.json (run `npm run generate`)", () => {
  const text = readFileSync('README.md', 'utf8');
  assert.equal(text, generatedReadme(text, readFileSync('package.json', 'utf8')), 'README.md is out of date: run `npm run generate`');
  assert.match(text, /\| `throughline\.decimalSeparator` \| `"\."` \|/);
});
