import { GraphMemo } from './graphMemo';
import { ReadKind, type ReadSet } from './readSet';
import type { GraphQueries, WorkspaceGraph } from './workspaceGraph';

/**
 * A workspace-wide figure folded from one shape per document (what the document adds to the
 * tree's loose groups, to coverage, to progress). Each shape is memoised (GraphMemo) and dropped
 * when the graph changes something it read; `refresh` reads the dropped ones again and reports
 * the documents whose shape really differs, so the owner folds again only then, or adjusts its
 * totals by the difference. An edit that leaves every shape as it was costs a few lookups.
 */
export class DocumentFold<Shape> {
  // Keyed by document: a shape's reads of its own document are not kept; any change of the document drops its shape.
  private readonly memo: GraphMemo;
  private readonly shapes = new Map<string, Shape>();
  private readonly dirty = new Set<string>();
  private filled = false;

  constructor(
    private readonly shapeOf: (graph: GraphQueries, uri: string, reads: ReadSet) => Shape,
    recordReads = true,
  ) {
    this.memo = new GraphMemo(true, recordReads);
  }

  invalidate(changed: ReadSet): void {
    if (!this.filled) return;
    for (const uri of this.memo.invalidate(changed)) this.dirty.add(uri);
    const changedDocuments = changed.names(ReadKind.document);
    if (changedDocuments) for (const uri of this.memo.forget(changedDocuments)) this.dirty.add(uri);
    // A document that came or went.
    for (const uri of changed.names(ReadKind.exists) ?? []) this.dirty.add(uri);
  }

  clear(): void {
    this.memo.clear();
    this.shapes.clear();
    this.dirty.clear();
    this.filled = false;
  }

  /** See `GraphMemo.prepareForEdits`. */
  prepareForEdits(): void {
    this.memo.prepareForEdits();
  }

  /**
   * Brings every shape up to date. `onChange` is called for each document whose shape differs
   * from the one last seen (`before` undefined for a new document, `after` for a removed one),
   * with the document's URI. Returns whether any did.
   */
  refresh(graph: WorkspaceGraph, onChange?: (before: Shape | undefined, after: Shape | undefined, uri: string) => void): boolean {
    let changed = false;
    const update = (uri: string) => {
      const known = this.shapes.has(uri);
      const before = this.shapes.get(uri);
      if (!graph.document(uri)) {
        if (!known) return;
        this.shapes.delete(uri);
        onChange?.(before, undefined, uri);
        changed = true;
        return;
      }
      const shape = this.memo.get(uri, graph, (recording, reads) => this.shapeOf(recording, uri, reads));
      // (A new document whose shape is undefined is not kept: it adds nothing.)
      if (before === shape) return;
      this.shapes.set(uri, shape);
      // Compared by value, not kept as JSON (a string per document and fold, and more per refresh).
      if (known && sameValue(before, shape)) return;
      onChange?.(before, shape, uri);
      changed = true;
    };
    if (!this.filled) {
      this.filled = true;
      this.dirty.clear();
      for (const document of graph.allDocuments()) update(document.uri);
      return true;
    }
    for (const uri of this.dirty) update(uri);
    this.dirty.clear();
    return changed;
  }

  /** Every document's current shape (after `refresh`), in the graph's document order, as a fold over the graph would see them. */
  *all(graph: WorkspaceGraph): IterableIterator<Shape> {
    for (const document of graph.allDocuments()) {
      if (this.shapes.has(document.uri)) yield this.shapes.get(document.uri)!;
    }
  }
}

/**
 * Whether two shapes (plain data: arrays, objects, primitives) are equal by value, keys in the
 * same order (a fold may show a record's keys in order). Unsure cases (NaN, an `undefined`
 * property on one side) count as different, which only costs a fold.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) if (!sameValue(a[index], b[index])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  const otherKeys = Object.keys(b);
  if (keys.length !== otherKeys.length) return false;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key !== otherKeys[index] || !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
