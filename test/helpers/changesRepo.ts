/**
 * A real git repository in a temp folder whose commits are made at fixed dates by named authors,
 * for the tests of `check --changed-since`, `diff`'s period section and `report --since`.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tempFolder, type TempFolder } from '../cli/run';

export interface ChangesRepo extends TempFolder {
  git(...args: string[]): string;
  /** Writes the files, then commits everything as `author` at `date` (YYYY-MM-DD, noon UTC); returns the commit ID. */
  commit(date: string, author: string, subject: string, files?: Readonly<Record<string, string>>): Promise<string>;
  /** Replaces one exact passage of a file; throws when it is absent, so an edit cannot silently do nothing. */
  edit(relative: string, from: string, to: string): Promise<void>;
}

export async function changesRepo(label = 'changes'): Promise<ChangesRepo> {
  const folder = await tempFolder(undefined, label);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: folder.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'changes@example.test');
  git('config', 'commit.gpgsign', 'false');
  return {
    ...folder,
    git,
    async commit(date, author, subject, files = {}) {
      for (const [relative, content] of Object.entries(files)) await folder.write(relative, content);
      git('add', '-A');
      const stamp = `${date}T12:00:00Z`;
      execFileSync('git', ['-c', `user.name=${author}`, 'commit', '-q', '--allow-empty', '-m', subject], {
        cwd: folder.root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp },
      });
      return git('rev-parse', 'HEAD').trim();
    },
    async edit(relative, from, to) {
      const file = folder.path(relative);
      const text = await readFile(file, 'utf8');
      if (!text.includes(from)) throw new Error(`${relative} does not contain ${JSON.stringify(from)}`);
      await folder.write(relative, text.replace(from, to));
    },
  };
}

/** A small strategy: one objective with two key results and three outcomes, two PRDs. */
export const STRATEGY = `---
type: strategy
id: STR-1
title: Payments
period: 2027-H1
innovation_mix: { core: 70, adjacent: 30 }
---
# STR-1: Payments

## OBJ-1: Make paying effortless

- KR-1.1: Invoice conversion
  Baseline: 40%
  Target: 60%
  Current: 40%
  Due: 2027-06-30
- KR-1.2: Time to pay
  Baseline: 30 min
  Target: 10 min
  Current: 30 min
  Due: 2027-06-30

### OUT-1: Payers pay without an account
Supports: KR-1.1

### OUT-2: Payers use their own wallet
Supports: KR-1.2
`;

export const CHECKOUT = `---
type: prd
id: PRD-1
title: Guest checkout
outcomes: [OUT-1]
innovation: core
---
# PRD-1: Guest checkout

### REQ-1: Pay without an account
Traces: OUT-1
`;

export const WALLET = `---
type: prd
id: PRD-2
title: Wallets
outcomes: [OUT-2]
innovation: core
---
# PRD-2: Wallets

### REQ-2: Remember the wallet
Traces: OUT-2
`;
