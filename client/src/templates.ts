/** Front-matter and skeletons for new documents; shared by the "New …" commands and the starter set. */

import { idSuffix } from '../../common/idGrammar';

export type DocumentKind = 'vision' | 'strategy' | 'prd';

export const DEFAULT_FOLDER: Record<DocumentKind, string> = { vision: '', strategy: 'strategy', prd: 'prds' };

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'untitled'
  );
}

export function documentTemplate(kind: DocumentKind, id: string, title: string, links: { visionId?: string; outcomeIds?: string[] } = {}): string {
  const header = ['---', `type: ${kind}`, `id: ${id}`, `title: ${JSON.stringify(title)}`, 'owner: ', 'status: draft', `updated: ${today()}`];
  switch (kind) {
    case 'vision':
      return [...header, 'horizon: ', '---', `# ${id}: ${title}`, '', 'Where we want to be, for whom, and why it matters.', ''].join('\n');
    case 'strategy': {
      const number = idSuffix(id);
      return [
        ...header,
        `vision: ${links.visionId ?? 'VIS-1'}`,
        `period: ${new Date().getFullYear() + 1}-H1`,
        '---',
        `# ${id}: ${title}`,
        '',
        `## OBJ-${number}.1: First objective`,
        '',
        `- KR-${number}.1.1: A key result`,
        '  Metric: what you measure',
        '  Baseline: 0',
        '  Target: 10',
        `  Due: ${new Date().getFullYear() + 1}-06-30`,
        // Two key results: one is too few to track an objective (key-result-count).
        `- KR-${number}.1.2: A second key result`,
        '  Metric: what you measure',
        '  Baseline: 0',
        '  Target: 10',
        `  Due: ${new Date().getFullYear() + 1}-06-30`,
        '',
        `### OUT-${number}.1: A change in customer behaviour`,
        `Supports: OBJ-${number}.1, KR-${number}.1.1`,
        '',
      ].join('\n');
    }
    case 'prd': {
      const number = idSuffix(id);
      const outcomes = links.outcomeIds?.length ? links.outcomeIds : [];
      return [
        ...header,
        `outcomes: [${outcomes.join(', ')}]`,
        'innovation: core',
        'track: delivery',
        'horizon: now',
        'team: ',
        '---',
        `# ${id}: ${title}`,
        '',
        '## Problem',
        '',
        '## Requirements',
        '',
        `### REQ-${number}.1: First requirement`,
        `Traces: ${outcomes[0] ?? ''}`,
        'Priority: must',
        '',
      ].join('\n');
    }
  }
}

/** A vision, a strategy and a PRD that already trace to each other, for an empty workspace. */
export function starterSet(): { path: string; text: string }[] {
  return [
    { path: 'vision.md', text: documentTemplate('vision', 'VIS-1', 'Our vision') },
    { path: 'strategy/strategy.md', text: documentTemplate('strategy', 'STR-1', 'Our strategy', { visionId: 'VIS-1' }) },
    { path: 'prds/first-prd.md', text: documentTemplate('prd', 'PRD-1', 'Our first PRD', { outcomeIds: ['OUT-1.1'] }) },
  ];
}
