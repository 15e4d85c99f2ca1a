/**
 * The workspace-wide views (alignment tree, coverage, portfolio) over several strategy folders.
 * Each folder keeps its own figures; the tree puts each folder's roots under a node for the folder,
 * and the counts are summed, since no ID links two folders (see folders.ts).
 */
import type { AlignmentNode, AlignmentTree, CoverageCounts, CoverageFigures, Portfolio, PortfolioDimension } from '../../../common/protocol';
import type { StrategyFolder } from './folders';

/** The key of folder `index`'s node; its descendants' keys are this, `/`, and their key in the folder. */
const folderKey = (index: number) => `@${index}`;

function withFolderKeys(node: AlignmentNode, prefix: string): AlignmentNode {
  return { ...node, key: `${prefix}/${node.key}`, children: node.children.map((child) => withFolderKeys(child, prefix)) };
}

/**
 * The tree, or the slice under `key` to `depth` levels, as AlignmentTreeRequest describes it. With
 * one folder it is that folder's tree, unchanged.
 */
export function foldersTree(folders: readonly StrategyFolder[], key: string | undefined, depth: number | undefined): AlignmentTree {
  if (folders.length === 1) return folders[0]!.service.getAlignmentTree(key, depth);
  if (key !== undefined) {
    const match = /^@(\d+)(?:\/(.*))?$/s.exec(key);
    const index = match ? Number(match[1]) : -1;
    const folder = folders[index];
    if (!folder) return { roots: [] };
    const slice = folder.service.getAlignmentTree(match![2], depth);
    return { roots: slice.roots.map((root) => withFolderKeys(root, folderKey(index))) };
  }
  const roots = folders.map((folder, index): AlignmentNode => {
    const inner = depth === undefined || depth > 1 ? folder.service.getAlignmentTree(undefined, depth === undefined ? undefined : depth - 1).roots : [];
    const whole = folder.service.getAlignmentTree(undefined, 1).roots;
    const problems = whole.reduce((sum, root) => ({ errors: sum.errors + root.problems.errors, warnings: sum.warnings + root.problems.warnings }), {
      errors: 0,
      warnings: 0,
    });
    return {
      key: folderKey(index),
      kind: 'group',
      title: folder.name,
      uri: folder.uri,
      counts: {},
      problems,
      childCount: whole.length,
      children: inner.map((root) => withFolderKeys(root, folderKey(index))),
    };
  });
  return { roots };
}

/** The counts of no document: a sum's start, and the answer of a request that failed. */
export function noCoverageCounts(): CoverageCounts {
  return { requirements: 0, tracedRequirements: 0, outcomes: 0, deliveredOutcomes: 0, objectives: 0, objectivesWithOutcomes: 0 };
}

/** Coverage counts summed over the folders. */
export function foldersCoverageCounts(folders: readonly StrategyFolder[]): CoverageCounts {
  const total = noCoverageCounts();
  for (const folder of folders) addCounts(total, folder.service.getCoverageCounts());
  return total;
}

/** Coverage summed over the folders; each objective's progress is its own folder's. */
export function foldersCoverage(folders: readonly StrategyFolder[]): CoverageFigures {
  const total: CoverageFigures = { ...noCoverageCounts(), progress: [] };
  for (const folder of folders) {
    const figures = folder.service.getCoverage();
    addCounts(total, figures);
    total.progress.push(...figures.progress);
  }
  return total;
}

function addCounts(total: CoverageCounts, counts: CoverageCounts): void {
  total.requirements += counts.requirements;
  total.tracedRequirements += counts.tracedRequirements;
  total.outcomes += counts.outcomes;
  total.deliveredOutcomes += counts.deliveredOutcomes;
  total.objectives += counts.objectives;
  total.objectivesWithOutcomes += counts.objectivesWithOutcomes;
}

/** The portfolio summed over the folders: buckets of the same dimension and value add up; each strategy's mix is its own. */
export function foldersPortfolio(folders: readonly StrategyFolder[]): Portfolio {
  if (folders.length === 1) return folders[0]!.service.getPortfolio();
  const total: Portfolio = { prds: 0, requirements: 0, dimensions: [], innovationTargets: [] };
  const dimensions = new Map<string, PortfolioDimension>();
  for (const folder of folders) {
    const portfolio = folder.service.getPortfolio();
    total.prds += portfolio.prds;
    total.requirements += portfolio.requirements;
    total.innovationTargets.push(...portfolio.innovationTargets);
    for (const dimension of portfolio.dimensions) {
      let merged = dimensions.get(dimension.name);
      if (!merged) {
        merged = { name: dimension.name, buckets: [] };
        dimensions.set(dimension.name, merged);
        total.dimensions.push(merged);
      }
      for (const bucket of dimension.buckets) {
        const same = merged.buckets.find((candidate) => candidate.value === bucket.value);
        if (same) {
          same.prds += bucket.prds;
          same.requirements += bucket.requirements;
        } else merged.buckets.push({ ...bucket });
      }
    }
  }
  return total;
}
