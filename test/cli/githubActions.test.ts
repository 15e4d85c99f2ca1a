/**
 * docs/github-actions.md: the workflow it offers is valid YAML, checks out the whole history, and
 * every `throughline` command it runs is a real command line: each is run (with the workflow's
 * expressions and variables filled in) against a git repository with a base branch and a pull
 * request's commit, and must do its job, not fail on its options.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { CHECKOUT, STRATEGY, WALLET, changesRepo, type ChangesRepo } from '../helpers/changesRepo';
import { REPO_ROOT, run } from './run';

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
}
interface Workflow {
  on: { pull_request: unknown };
  env?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

/** The first ```yaml block of the page: the workflow. */
async function workflowYaml(): Promise<string> {
  const page = await readFile(path.join(REPO_ROOT, 'docs', 'github-actions.md'), 'utf8');
  const block = /```yaml\n([^]*?)\n```/.exec(page);
  assert.ok(block, 'the page has a yaml block');
  return block[1]!;
}

/** The words of a `throughline` command line in a step, expressions and variables filled in, up to a redirection: `npx throughline check "$X" …` → ['check', value of X, …]. */
function throughlineArguments(line: string, variables: Readonly<Record<string, string>>): string[] {
  const command = line
    .split(' > ')[0]!
    .trim()
    .replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, variables['base_ref']!);
  const words = command.split(/\s+/);
  return words.slice(words.indexOf('throughline') + 1).map((word) =>
    word
      .replace(/^"|"$/g, '')
      .replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, variables['base_ref']!)
      .replace(/\$([A-Z_]+)/g, (_, name: string) => variables[name] ?? ''),
  );
}

describe('docs/github-actions.md', () => {
  let repo: ChangesRepo;
  let workflow: Workflow;
  before(async () => {
    workflow = parse(await workflowYaml()) as Workflow;
    repo = await changesRepo('actions');
    const folder = 'docs/strategy';
    await repo.commit('2026-09-01', 'Maya', 'Initial strategy', {
      [`${folder}/strategy/payments.md`]: STRATEGY,
      [`${folder}/prds/checkout.md`]: CHECKOUT,
      [`${folder}/prds/wallet.md`]: WALLET,
    });
    // origin/main as the checkout would have it.
    repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit(`${folder}/prds/checkout.md`, 'Traces: OUT-1\n', 'Traces: OUT-1\n\n### REQ-9: Export receipts\n');
    await repo.commit('2026-10-03', 'Ravi', 'Receipts');
  });
  after(() => repo?.dispose());

  test('is a pull-request workflow that checks out the whole history', () => {
    assert.ok(workflow.on.pull_request !== undefined);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const checkout = steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    assert.equal(checkout?.with?.['fetch-depth'], 0);
    assert.ok(steps.some((step) => step.uses?.startsWith('actions/setup-node@')));
    assert.ok(steps.some((step) => step.uses?.startsWith('marocchino/sticky-pull-request-comment@') && step.with?.['path'] === 'throughline-diff.md'));
  });

  test('installs Throughline from its repository, not from the npm registry, where it is not published', async () => {
    const page = await readFile(path.join(REPO_ROOT, 'docs', 'github-actions.md'), 'utf8');
    assert.doesNotMatch(page, /npm install[^\n`]*\bthroughline\b|npx throughline/, 'no install of a `throughline` package from the registry');
    const { private: isPrivate } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { private?: boolean };
    assert.equal(isPrivate, true, 'the package is private: if it is ever published, the page can say `npm install` again');
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const install = steps.map((step) => step.run ?? '').find((run) => run.includes('npm link'));
    assert.ok(install, 'a step links the built Throughline onto the PATH');
    assert.match(install, /git clone [^\n]*"\$THROUGHLINE_REPOSITORY"/);
    assert.match(install, /npm ci && npm run build && npm link/);
    assert.ok(workflow.env?.['THROUGHLINE_REPOSITORY'], 'the workflow says where the repository is');
  });

  test('runs check --changed-since … --format github and diff … --format md, and both work', async () => {
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const lines = steps.flatMap((step) => (step.run ?? '').split('\n')).filter((line) => /\bthroughline\b/.test(line));
    const variables = { ...workflow.env, base_ref: 'main' };
    const commands = lines.map((line) => throughlineArguments(line, variables));
    const check = commands.find((args) => args[0] === 'check');
    const diff = commands.find((args) => args[0] === 'diff');
    assert.deepEqual(check, ['check', 'docs/strategy', '--changed-since', 'origin/main', '--format', 'github']);
    assert.deepEqual(diff, ['diff', 'origin/main', 'docs/strategy', '--format', 'md']);

    const env = { ...process.env, GITHUB_WORKSPACE: repo.root };
    const checked = await run(check!, { cwd: repo.root, env });
    assert.equal(checked.code, 1, checked.stderr);
    assert.match(checked.stdout, /^::error file=docs\/strategy\/prds\/checkout\.md,line=13,/m);
    assert.match(checked.stdout.trimEnd().split('\n').at(-1)!, /scoped to changes since origin\/main/);
    const described = await run(diff!, { cwd: repo.root, env });
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /^### Throughline: alignment changes since `origin\/main`/m);
    assert.match(described.stdout, /^#### What changed this period$/m);
  });
});
