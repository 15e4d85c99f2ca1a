/**
 * The include/exclude matcher: the same answers as picomatch on the patterns people write, over
 * every path of the handbook corpus, and linear time on the patterns that made picomatch hang.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import { globMatcher, GlobError, MAX_BRACE_EXPANSIONS } from '../../server/src/service/workspace/glob';
import { REPO_ROOT } from '../cli/run';

const CORPUS = path.join(REPO_ROOT, '..', 'shared', 'corpora', 'sourcegraph-handbook');

function listRelative(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return found;
}

const PATTERNS = [
  '**/*.md',
  '**/*.markdown',
  '**/node_modules/**',
  '**/.git/**',
  'strategy/**/*.md',
  'prds/**/*.md',
  'archive/**',
  '*.md',
  'handbook/*/index.md',
  '**/engineering/**',
  '**/?eam*.md',
  '**/[a-c]*.md',
  '**/*[^a-c].md',
  'content/**/{product,engineering}/**/*.md',
  '**/*-{a,b,c}*.md',
  '**/.*',
  '.github/**',
  '**/README.md',
  'company-info-and-process/**',
];

const EXTRA_PATHS = [
  '.github/workflow.md',
  'a/.hidden/b.md',
  '.hidden.md',
  'archive',
  'archive/x.md',
  'node_modules/x/y.md',
  'x/node_modules/y.md',
  'team-a.md',
  'strategy/2027/h1.md',
  'prds/x.markdown',
];

describe('glob matcher', () => {
  const paths = [...listRelative(CORPUS), ...EXTRA_PATHS];

  for (const dot of [false, true]) {
    test(`agrees with picomatch on ${PATTERNS.length} patterns over ${paths.length} paths (dot: ${dot})`, () => {
      assert.ok(paths.length > 800, 'the handbook corpus is beside the project');
      for (const pattern of PATTERNS) {
        const ours = globMatcher([pattern], { dot });
        const theirs = picomatch(pattern, { dot });
        const differing = paths.filter((candidate) => ours(candidate) !== theirs(candidate));
        assert.deepEqual(differing.slice(0, 5), [], `pattern ${pattern}`);
      }
    });
  }

  test('[!…] negates a class, as in the shell (picomatch reads `!` there as a literal)', () => {
    const matches = globMatcher(['**/[!a-c]*.md']);
    assert.equal(matches('x/dog.md'), true);
    assert.equal(matches('x/benefits.md'), false);
  });

  test('several patterns match when any does', () => {
    const matches = globMatcher(['prds/**', 'strategy/*.md']);
    assert.equal(matches('prds/a/b.md'), true);
    assert.equal(matches('strategy/s.md'), true);
    assert.equal(matches('strategy/x/s.md'), false);
  });

  test('brace expansion is bounded', () => {
    assert.throws(
      () => globMatcher(['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}']),
      (error) => error instanceof GlobError && error.message.includes(String(MAX_BRACE_EXPANSIONS)),
    );
  });

  for (const [pattern, text, expected] of [
    ['*a*a*a*a*a*a*a*a*b', `${'a'.repeat(4_000)}c`, false],
    ['*a*a*a*a*a*a*a*a*', `${'a'.repeat(4_000)}b`, true],
    ['**/a/**/a/**/a/**/b', `${'a/'.repeat(2_000)}c`, false],
    ['+(a*)b', `${'a'.repeat(4_000)}c`, false],
    ['*'.repeat(500) + 'b', 'a'.repeat(4_000), false],
  ] as const) {
    test(`hostile pattern ${pattern.slice(0, 30)} on a ${text.length}-character path answers at once`, () => {
      const matches = globMatcher([pattern]);
      const started = performance.now();
      assert.equal(matches(text), expected);
      // picomatch took 3.9 s to more than 20 s on these; a linear scan takes milliseconds. A hang is the failure.
      assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
    });
  }
});
