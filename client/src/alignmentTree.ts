import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AlignmentTreeRequest, DescribeItemRequest, PortfolioRequest, type AlignmentNode, type AlignmentTree, type Portfolio } from '../../common/protocol';
import { formatProgress, plural } from '../../common/wording';
import { portfolioRows, type PortfolioRow } from './portfolio';
import { progressIcon } from './progress';

const ICONS: Record<AlignmentNode['kind'], string> = {
  vision: 'eye',
  strategy: 'compass',
  objective: 'target',
  keyResult: 'graph-line',
  outcome: 'milestone',
  prd: 'file-text',
  requirement: 'checklist',
  group: 'folder',
};

const GROUP_ICONS: Record<string, string> = { untraced: 'warning', undelivered: 'circle-slash', unaligned: 'debug-disconnect' };

export type TreeFilter = { readonly field: 'owner' | 'status' | 'prd'; readonly value: string } | { readonly field: 'problems' };

/** A row of the alignment itself, as the server sent it. */
interface AlignmentViewNode {
  readonly type: 'alignment';
  readonly node: AlignmentNode;
  readonly parent: ViewNode | undefined;
  readonly children: ViewNode[];
}

/** A row of the "Portfolio" section, built on the client from the server's portfolio figures. */
interface PortfolioViewNode {
  readonly type: 'portfolio';
  readonly row: PortfolioRow;
  readonly parent: ViewNode | undefined;
  readonly children: ViewNode[];
}

type ViewNode = AlignmentViewNode | PortfolioViewNode;

/**
 * The sidebar's alignment tree, fetched from the server and re-fetched when it says the alignment
 * changed. It is fetched in slices (two levels, then the children of each node the user expands):
 * a 10,000-PRD workspace's whole tree is 60 MB of JSON. Filtering, revealing and copying need the
 * whole tree and ask for it.
 *
 * After the alignment comes a "Portfolio" section: how the PRDs spread over innovation, track,
 * horizon, owner and team. It summarises every PRD, so it is hidden while a filter is on rather
 * than shown with figures that do not match the filtered rows.
 */
export class AlignmentTreeProvider implements vscode.TreeDataProvider<ViewNode> {
  private readonly changeEmitter = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private roots: ViewNode[] | undefined;
  private loading: Promise<ViewNode[]> | undefined;
  private filter: TreeFilter | undefined;
  private lastTree: AlignmentTree | undefined;
  /** Whether `lastTree` is the whole tree rather than its first levels. */
  private lastTreeIsWhole = false;
  private lastPortfolio: Portfolio | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly onLoaded: (tree: AlignmentTree) => void,
    private readonly logError: (message: string) => void = () => undefined,
  ) {}

  get activeFilter(): TreeFilter | undefined {
    return this.filter;
  }

  setFilter(filter: TreeFilter | undefined): void {
    this.filter = filter;
    this.roots = this.lastTree && (this.lastTreeIsWhole || !filter) ? this.toViewNodes(this.lastTree) : undefined;
    this.changeEmitter.fire(undefined);
  }

  refresh(): void {
    this.roots = undefined;
    this.loading = undefined;
    this.changeEmitter.fire(undefined);
  }

  /** The whole tree; replaces the sliced view so that every node has its parent (for reveal). */
  async tree(): Promise<AlignmentTree | undefined> {
    if (!this.lastTreeIsWhole || !this.roots) {
      this.roots = undefined;
      await this.load(true);
    }
    return this.lastTree;
  }

  private async load(whole = this.filter !== undefined): Promise<ViewNode[]> {
    if (this.roots) return this.roots;
    this.loading ??= (async () => {
      const client = this.client();
      if (!client?.isRunning()) return [];
      const params: AlignmentTreeRequest.Params = whole ? {} : { depth: 2 };
      const [tree, portfolio] = await Promise.all([client.sendRequest(AlignmentTreeRequest.type, params), this.fetchPortfolio(client)]);
      this.lastTree = tree;
      this.lastTreeIsWhole = whole;
      this.lastPortfolio = portfolio;
      this.onLoaded(tree);
      this.roots = this.toViewNodes(tree);
      return this.roots;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** The portfolio figures, or undefined (no section) when the server cannot give them: the alignment still shows. */
  private async fetchPortfolio(client: LanguageClient): Promise<Portfolio | undefined> {
    try {
      return await client.sendRequest(PortfolioRequest.type, {});
    } catch (error) {
      this.logError(`Portfolio request failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Fetches the children of a node that arrived without them (two levels at a time). */
  private async loadChildren(element: AlignmentViewNode): Promise<void> {
    const client = this.client();
    if (!client?.isRunning()) return;
    const slice = await client.sendRequest(AlignmentTreeRequest.type, { key: element.node.key, depth: 2 });
    element.node.children = slice.roots;
    const toView = (node: AlignmentNode, parent: ViewNode): ViewNode => {
      const view: AlignmentViewNode = { type: 'alignment', node, parent, children: [] };
      for (const child of node.children) view.children.push(toView(child, view));
      return view;
    };
    element.children.length = 0;
    for (const child of slice.roots) element.children.push(toView(child, element));
  }

  private toViewNodes(tree: AlignmentTree): ViewNode[] {
    // VS Code shows the welcome view ("Create a starter set") only while the tree is empty, and
    // the server always sends the three groups: with no document at all, show nothing.
    if (!hasDocuments(tree)) return [];
    const matches = (node: AlignmentNode): boolean => {
      const filter = this.filter;
      if (!filter) return true;
      switch (filter.field) {
        case 'owner':
          return node.owner === filter.value;
        case 'status':
          return node.status === filter.value;
        case 'prd':
          return node.id === filter.value || node.documentId === filter.value;
        case 'problems':
          return node.problems.errors + node.problems.warnings > 0;
      }
    };
    const convert = (node: AlignmentNode, parent: ViewNode | undefined, ancestorMatched: boolean): ViewNode | undefined => {
      const self = matches(node);
      const view: AlignmentViewNode = { type: 'alignment', node, parent, children: [] };
      for (const child of node.children) {
        const converted = convert(child, view, ancestorMatched || (self && this.filter?.field !== 'problems'));
        if (converted) view.children.push(converted);
      }
      const keep = !this.filter || self || ancestorMatched || view.children.length > 0;
      return keep && (node.kind !== 'group' || view.children.length > 0 || !this.filter) ? view : undefined;
    };
    const roots = tree.roots.map((root) => convert(root, undefined, false)).filter((node): node is ViewNode => node !== undefined);
    const portfolio = this.lastPortfolio && !this.filter ? portfolioRows(this.lastPortfolio) : undefined;
    if (portfolio) roots.push(toPortfolioViewNode(portfolio, undefined));
    return roots;
  }

  async getChildren(element?: ViewNode): Promise<ViewNode[]> {
    if (!element) return this.load();
    if (element.type === 'alignment' && !this.filter && element.children.length < element.node.childCount) await this.loadChildren(element);
    return element.children;
  }

  getParent(element: ViewNode): ViewNode | undefined {
    return element.parent;
  }

  getTreeItem(element: ViewNode): vscode.TreeItem {
    if (element.type === 'portfolio') return portfolioTreeItem(element);
    const { node } = element;
    const label = node.id ? `${node.id}: ${node.title}` : node.title;
    const item = new vscode.TreeItem(label, this.collapsibleState(element));
    // VS Code keeps the collapsed state it first saw for an id, so a leaf that gains children (a
    // vision whose strategy is indexed after it) would stay collapsed: leaves get their own id.
    item.id = node.childCount ? node.key : `${node.key}#leaf`;
    item.description = describe(node);
    const problemLevel = node.problems.errors ? 'error' : node.problems.warnings ? 'warning' : undefined;
    if (node.progress !== undefined && (node.kind === 'objective' || node.kind === 'keyResult')) {
      // A ring filled to the progress reads at a glance; its arc takes the problem colour, as the kind icons do.
      const icon = progressIcon(node.progress, problemLevel);
      item.iconPath = { light: vscode.Uri.parse(icon.light), dark: vscode.Uri.parse(icon.dark) };
    } else {
      const problemColor = problemLevel && new vscode.ThemeColor(problemLevel === 'error' ? 'list.errorForeground' : 'list.warningForeground');
      item.iconPath = new vscode.ThemeIcon(
        node.kind === 'group' ? (Object.hasOwn(GROUP_ICONS, node.key) ? GROUP_ICONS[node.key]! : ICONS.group) : ICONS[node.kind],
        problemColor,
      );
    }
    item.contextValue = node.kind;
    if (node.uri && node.range) {
      // No resourceUri: it would decorate every item with its whole file's problem count.
      const uri = vscode.Uri.parse(node.uri);
      const selection = new vscode.Range(node.range.start.line, node.range.start.character, node.range.end.line, node.range.end.character);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection, preview: true } satisfies vscode.TextDocumentShowOptions] };
    }
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, element: ViewNode): Promise<vscode.TreeItem> {
    const client = this.client();
    if (element.type === 'alignment' && element.node.id && client?.isRunning()) {
      const text = await client.sendRequest(DescribeItemRequest.type, { id: element.node.id });
      if (typeof text === 'string') item.tooltip = new vscode.MarkdownString(text);
    }
    return item;
  }

  /** The first place an ID appears in the tree, for "Reveal in Alignment Tree". */
  async find(id: string): Promise<ViewNode | undefined> {
    await this.tree();
    const pending = [...(this.roots ?? [])];
    while (pending.length) {
      const next = pending.shift()!;
      if (next.type === 'alignment' && next.node.id === id) return next;
      pending.push(...next.children);
    }
    return undefined;
  }

  private collapsibleState(element: AlignmentViewNode): vscode.TreeItemCollapsibleState {
    if ((this.filter ? element.children.length : element.node.childCount) === 0) return vscode.TreeItemCollapsibleState.None;
    // The top opens as far as the objectives: a vision at the root, and the strategies (product lines) at the root or under it.
    const root = !element.parent;
    const underRootVision = element.parent?.type === 'alignment' && !element.parent.parent && element.parent.node.kind === 'vision';
    const expanded = (element.node.kind === 'vision' && root) || (element.node.kind === 'strategy' && (root || underRootVision));
    return expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  }
}

function toPortfolioViewNode(row: PortfolioRow, parent: ViewNode | undefined): PortfolioViewNode {
  const view: PortfolioViewNode = { type: 'portfolio', row, parent, children: [] };
  for (const child of row.children) view.children.push(toPortfolioViewNode(child, view));
  return view;
}

function portfolioTreeItem(element: PortfolioViewNode): vscode.TreeItem {
  const { row } = element;
  const item = new vscode.TreeItem(row.label, row.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  // The server's keys start with an ID or a group name, never with "portfolio:": these ids cannot collide with theirs.
  item.id = row.key;
  item.description = row.description;
  item.tooltip = row.tooltip;
  item.iconPath = new vscode.ThemeIcon(row.icon);
  item.contextValue = 'portfolio';
  return item;
}

/** Whether the tree has any item: a document, or a group with something in it. */
export function hasDocuments(tree: AlignmentTree): boolean {
  return tree.roots.some((root) => root.kind !== 'group' || root.children.length > 0);
}

export function describe(node: AlignmentNode): string {
  const parts: string[] = [];
  if (node.progress !== undefined) parts.push(`${formatProgress(node.progress)} progress`);
  if (node.confidence !== undefined) parts.push(`confidence ${node.confidence}`);
  if (node.status) parts.push(node.status);
  const { counts } = node;
  if (counts.objectives !== undefined) parts.push(plural(counts.objectives, 'objective'));
  if (counts.keyResults !== undefined) parts.push(plural(counts.keyResults, 'KR'));
  if (counts.outcomes !== undefined) parts.push(plural(counts.outcomes, 'outcome'));
  if (counts.requirements !== undefined) parts.push(plural(counts.requirements, 'requirement'));
  if (node.problems.errors) parts.push(`✖ ${node.problems.errors}`);
  if (node.problems.warnings) parts.push(`⚠ ${node.problems.warnings}`);
  return parts.join(' · ');
}

/** The tree as a nested Markdown list, for pasting into a pull request or a doc. */
export function treeAsMarkdown(tree: AlignmentTree): string {
  const lines: string[] = [];
  const walk = (node: AlignmentNode, depth: number) => {
    const label = node.id ? `**${node.id}** ${node.title}` : `_${node.title}_`;
    const details = describe(node);
    lines.push(`${'  '.repeat(depth)}- ${label}${details ? ` (${details})` : ''}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of tree.roots) walk(root, 0);
  return lines.join('\n') + '\n';
}
