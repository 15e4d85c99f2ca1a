import type { InnovationTarget, Portfolio } from '../../../../common/protocol';
import { DocumentFold } from '../workspace/documentFold';
import type { ReadSet } from '../workspace/readSet';
import type { WorkspaceGraph } from '../workspace/workspaceGraph';
import { innovationTargetOf, isActivePrd, portfolioOf, prdFacts, sortTargets, type PrdFacts } from './portfolio';

/**
 * The portfolio the tree's chart and the report show, kept current edit by edit: what each PRD
 * adds (its dimension values and requirement count) and each strategy's innovation target are
 * memoised per document (DocumentFold), and the portfolio is put together again only when one of
 * them changed. Editing a requirement's text or retargeting a `Traces:` link within one product
 * line changes none of them.
 */
export class PortfolioView {
  private readonly prds: DocumentFold<ReturnType<typeof prdFacts> | undefined>;
  private readonly targets: DocumentFold<InnovationTarget | undefined>;
  private portfolio: Portfolio | undefined;

  constructor(
    private readonly graph: () => WorkspaceGraph,
    tolerance: () => number,
    recordReads = true,
  ) {
    this.prds = new DocumentFold((graph, uri) => {
      const document = graph.document(uri);
      return document && isActivePrd(document) ? prdFacts(document) : undefined;
    }, recordReads);
    this.targets = new DocumentFold((graph, uri) => {
      const document = graph.document(uri);
      return document?.frontMatter?.type === 'strategy' ? innovationTargetOf(graph, document, tolerance()) : undefined;
    }, recordReads);
  }

  invalidate(changed: ReadSet): void {
    this.prds.invalidate(changed);
    this.targets.invalidate(changed);
  }

  /** See `GraphMemo.prepareForEdits`. */
  prepareForEdits(): void {
    this.prds.prepareForEdits();
    this.targets.prepareForEdits();
  }

  clear(): void {
    this.prds.clear();
    this.targets.clear();
    this.portfolio = undefined;
  }

  get(): Portfolio {
    const graph = this.graph();
    const prdsChanged = this.prds.refresh(graph);
    const targetsChanged = this.targets.refresh(graph);
    if (prdsChanged || targetsChanged || !this.portfolio) {
      const prds: PrdFacts[] = [];
      for (const facts of this.prds.all(graph)) if (facts) prds.push(facts);
      const targets: InnovationTarget[] = [];
      for (const target of this.targets.all(graph)) if (target) targets.push(target);
      this.portfolio = portfolioOf(prds, sortTargets(targets));
    }
    return this.portfolio;
  }
}
