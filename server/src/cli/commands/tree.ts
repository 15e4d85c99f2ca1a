/** `throughline tree`: the alignment tree as an indented outline, or as JSON. */
import type { AlignmentNode } from '../../../../common/protocol';
import { formatProgress, plural } from '../../../../common/wording';
import { openWorkspace, relativeFile, type CliIo } from '../common';
import { writeJson } from '../output';
import { parseConfidence } from '../../service/analysis/forecast';
import { attributeOf } from '../../service/model/model';

const COUNT_NOUNS: Record<string, [string, string]> = {
  objectives: ['objective', 'objectives'],
  keyResults: ['key result', 'key results'],
  outcomes: ['outcome', 'outcomes'],
  requirements: ['requirement', 'requirements'],
};

const KIND_MARK: Record<string, string> = { vision: '◆', strategy: '▣', objective: '●', keyResult: '◎', outcome: '▲', prd: '▤', requirement: '·', group: '▸' };

export async function runTree(options: { folder: string; format: string; config?: string }, io: CliIo): Promise<number> {
  const { service, root } = await openWorkspace(options.folder, options.config, io.err);
  const alignment = service.getAlignmentTree();
  if (options.format === 'json') {
    const relocate = (node: AlignmentNode): AlignmentNode => ({
      ...node,
      uri: node.uri ? relativeFile(root, node.uri) : undefined,
      children: node.children.map(relocate),
    });
    // Written in parts: a large workspace's tree never has to fit in one string.
    writeJson(io, { version: 1, roots: alignment.roots.map(relocate) });
    return 0;
  }
  const print = (node: AlignmentNode, depth: number) => {
    const counts = Object.entries(node.counts)
      .map(([name, count]) => (COUNT_NOUNS[name] ? plural(count, ...COUNT_NOUNS[name]) : `${count} ${name}`))
      .join(', ');
    const label = node.id ? `${node.id}: ${node.title}` : node.title;
    const progress = node.progress === undefined ? undefined : `${formatProgress(node.progress)} done`;
    const owner = node.owner ? `owner: ${node.owner}` : undefined;
    // A key result's `Confidence:` next to its progress, as hover and code lenses show it.
    const item = node.kind === 'keyResult' && node.id ? service.graph.definition(node.id) : undefined;
    const confidence = item ? parseConfidence(attributeOf(item, 'confidence')?.value) : undefined;
    const details = [node.status, owner, progress, confidence ? `confidence ${confidence.label}` : undefined, counts].filter(Boolean).join(' · ');
    io.out(`${'  '.repeat(depth)}${KIND_MARK[node.kind] ?? '-'} ${label}${details ? `  (${details})` : ''}`);
    for (const child of node.children) print(child, depth + 1);
  };
  // Empty problem groups say nothing in text; JSON keeps them so consumers see every group.
  for (const node of alignment.roots) if (node.kind !== 'group' || node.children.length > 0) print(node, 0);
  return 0;
}
