#!/usr/bin/env node
/**
 * Builds a git repository of the Acme workspace with half a year of history, for the README's
 * walk-through of suspect links and key-result check-ins:
 *
 *   node examples/acme/make-history.mjs /tmp/acme-history
 *   npx throughline check /tmp/acme-history
 *   npx throughline history KR-1.1 /tmp/acme-history
 *
 * The files end exactly as they are in examples/acme; earlier commits hold earlier values. Commits
 * have fixed dates and authors, so every run builds the same history. The target folder must not
 * exist or be empty. Needs git on the PATH; reads no git configuration of yours for the commits.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const source = path.dirname(fileURLToPath(import.meta.url));
const target = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: node examples/acme/make-history.mjs <new folder>');
  process.exit(2);
}
if (existsSync(target) && readdirSync(target).length > 0) {
  console.error(`make-history: ${target} is not empty`);
  process.exit(2);
}
mkdirSync(target, { recursive: true });

const STRATEGY = 'strategy/payments-2027-h1.md';
const final = readFileSync(path.join(source, STRATEGY), 'utf8');

/** The strategy file as of a commit: the final text with earlier values put back. */
function strategyWith(replacements) {
  let text = final;
  for (const [now, then] of replacements) {
    if (!text.includes(now)) throw new Error(`make-history: "${now}" is not in ${STRATEGY}`);
    text = text.replace(now, then);
  }
  return text;
}

const OUT2_NOW = '### OUT-2: Payers can pay with the method they already use';
const OUT2_THEN = '### OUT-2: Payers can pay by card';
const KR11 = (value) => [`  Current: 46%\n  Due: 2027-06-30\n- KR-1.2`, `  Current: ${value}\n  Due: 2027-06-30\n- KR-1.2`];
const KR12 = (value) => [`  Current: 31 min`, `  Current: ${value}`];
const KR21 = (value) => [`  Current: 64%`, `  Current: ${value}`];

/** Each commit: date, author, message, and the strategy file's text (other files as in examples/acme). */
const commits = [
  { date: '2026-07-01T09:00:00Z', author: 'Maya Chen', message: 'Payments strategy for 2027-H1', text: strategyWith([[OUT2_NOW, OUT2_THEN], KR11('41%'), KR12('38 min'), KR21('62%')]) },
  { date: '2026-08-03T09:00:00Z', author: 'Ines Alves', message: 'August check-in', text: strategyWith([[OUT2_NOW, OUT2_THEN], KR11('43%'), KR12('37 min'), KR21('62%')]) },
  { date: '2026-09-01T09:00:00Z', author: 'Ines Alves', message: 'September check-in', text: strategyWith([[OUT2_NOW, OUT2_THEN], KR11('44%'), KR12('36 min'), KR21('63%')]) },
  { date: '2026-10-05T09:00:00Z', author: 'Maya Chen', message: 'OUT-2: any method payers already use, not only cards', text: strategyWith([KR11('44%'), KR12('36 min'), KR21('63%')]) },
  { date: '2026-11-02T09:00:00Z', author: 'Ines Alves', message: 'November check-in', text: final },
];

function git(args, date, author) {
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false', ...args], {
    cwd: target,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: author ?? 'Acme',
      GIT_AUTHOR_EMAIL: 'strategy@acme.test',
      GIT_COMMITTER_NAME: author ?? 'Acme',
      GIT_COMMITTER_EMAIL: 'strategy@acme.test',
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    },
  });
}

git(['init', '-q', '-b', 'main']);
for (const entry of readdirSync(source)) {
  if (entry === 'make-history.mjs') continue;
  cpSync(path.join(source, entry), path.join(target, entry), { recursive: true });
}
for (const commit of commits) {
  writeFileSync(path.join(target, STRATEGY), commit.text);
  git(['add', '-A']);
  git(['commit', '-q', '-m', commit.message], commit.date, commit.author);
}
console.log(`Built ${target}: ${commits.length} commits from ${commits[0].date.slice(0, 10)} to ${commits.at(-1).date.slice(0, 10)}.`);
