/**
 * A real git repository in a temp folder, with commits at fixed dates and a fixed author, for the
 * history tests (issue 13). Git runs with no global or system configuration (nothing on the
 * machine changes the commits) and with the committer's identity passed in the environment.
 *
 *   const repo = createGitRepo('history');
 *   repo.write('strategy.md', STRATEGY);
 *   repo.commit('Initial strategy', '2026-09-01');
 *   repo.write('strategy.md', changed);
 *   repo.commit('Sharpen OUT-1', '2026-10-03', 'Ana');
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface GitRepo {
  /** The repository's folder (real path). */
  readonly root: string;
  path(relative: string): string;
  uri(relative: string): string;
  read(relative: string): string;
  write(relative: string, text: string): void;
  remove(relative: string): void;
  /** Stages everything (`git add -A`) and commits it at `date` (YYYY-MM-DD, 10:00 UTC, or a full ISO time); returns the sha. */
  commit(message: string, date: string, author?: string): string;
  /** Runs git in the repository with the test environment; returns its stdout. */
  git(...args: string[]): string;
  dispose(): void;
}

/** The environment git runs with in tests: no global or system configuration, a fixed identity. */
export function gitEnvironment(date = '2026-09-01T10:00:00Z', author = 'Maya'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: author,
    GIT_AUTHOR_EMAIL: `${author.toLowerCase()}@example.test`,
    GIT_COMMITTER_NAME: author,
    GIT_COMMITTER_EMAIL: `${author.toLowerCase()}@example.test`,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    LC_ALL: 'C',
  };
}

function isoTime(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T10:00:00Z` : date;
}

export function createGitRepo(label = 'repo', parent?: string): GitRepo {
  const root = parent ?? realpathSync(mkdtempSync(path.join(os.tmpdir(), `throughline-git-${label}-`)));
  mkdirSync(root, { recursive: true });
  const resolve = (relative: string) => path.join(root, ...relative.split('/'));
  const git = (args: string[], env = gitEnvironment()) => execFileSync('git', args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git(['init', '-q', '-b', 'main']);
  return {
    root,
    path: resolve,
    uri: (relative) => pathToFileURL(resolve(relative)).href,
    read: (relative) => readFileSync(resolve(relative), 'utf8'),
    write(relative, text) {
      mkdirSync(path.dirname(resolve(relative)), { recursive: true });
      writeFileSync(resolve(relative), text);
    },
    remove: (relative) => unlinkSync(resolve(relative)),
    commit(message, date, author = 'Maya') {
      const env = gitEnvironment(isoTime(date), author);
      git(['add', '-A'], env);
      git(
        ['-c', `user.name=${author}`, '-c', `user.email=${author.toLowerCase()}@example.test`, 'commit', '-q', '--no-verify', '--allow-empty', '-m', message],
        env,
      );
      return git(['rev-parse', 'HEAD'], env).trim();
    },
    git: (...args) => git(args),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
