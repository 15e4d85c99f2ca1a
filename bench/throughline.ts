/**
 * Throughline's side of `npm run bench`: the language service on the real file system, in the
 * same code path the server uses (FileSystemWorkspace + createLanguageService).
 */
import { promises as fs } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FileSystemWorkspace, uriFromPath } from '../server/src/node/fsWorkspace.ts';
import { createLanguageService, type ChangeImpact, type ThroughlineLanguageService } from '../server/src/service/index.ts';
import type { GeneratedWorkspace, ThroughlineFigures } from './types.ts';

const EDITS = 60;
const COMPLETIONS = 60;

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** What the server does after an edit: reindex the document, then recompute diagnostics of every affected document. */
function recomputeAfterEdit(service: ThroughlineLanguageService, document: TextDocument): { impact: ChangeImpact; diagnostics: number } {
  const impact = service.updateDocument(document);
  let diagnostics = 0;
  for (const uri of impact.affectedUris) diagnostics += service.getDiagnostics(uri).length;
  return { impact, diagnostics };
}

function replaceLine(text: string, line: number, replacement: string): string {
  const lines = text.split('\n');
  lines[line] = replacement;
  return lines.join('\n');
}

export async function measureThroughline(workspace: GeneratedWorkspace): Promise<ThroughlineFigures> {
  gc();
  const coldStart = performance.now();
  const service = createLanguageService({ workspace: new FileSystemWorkspace([uriFromPath(workspace.dir)]) });
  await service.initialize();
  let diagnostics = 0;
  for (const uri of service.diagnosticUris()) diagnostics += service.getDiagnostics(uri).length;
  const coldIndexAndDiagnosticsMs = performance.now() - coldStart;
  let items = 0;
  for (const document of service.graph.allDocuments()) items += document.items.length;
  gc();
  const memory = process.memoryUsage();

  // One-line edits of an open PRD: alternate between retargeting its Traces line (cross-file impact) and editing prose.
  const prdUri = uriFromPath(workspace.editablePrd);
  const original = await fs.readFile(workspace.editablePrd, 'utf8');
  let version = 1;
  let document = TextDocument.create(prdUri, 'markdown', version, original);
  recomputeAfterEdit(service, document);
  const editSamples: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const text =
      i % 2 === 0
        ? replaceLine(original, workspace.editablePrdTracesLine, `Traces: OUT-${(i % 7) + 2}`)
        : replaceLine(original, workspace.editablePrdProseLine, `Edited prose line number ${i}, mentioning nothing in particular.`);
    document = TextDocument.create(prdUri, 'markdown', ++version, text);
    const started = performance.now();
    recomputeAfterEdit(service, document);
    editSamples.push(performance.now() - started);
  }

  // Completion in a Traces line while typing: each sample follows a one-character edit, as in an editor.
  const completionSamples: number[] = [];
  for (let i = 0; i < COMPLETIONS; i++) {
    const typed = `Traces: OUT-${i % 2 === 0 ? '' : '1'}`;
    document = TextDocument.create(prdUri, 'markdown', ++version, replaceLine(original, workspace.editablePrdTracesLine, typed));
    service.updateDocument(document);
    const started = performance.now();
    const list = service.getCompletions(document, { line: workspace.editablePrdTracesLine, character: typed.length });
    completionSamples.push(performance.now() - started);
    if (list.items.length === 0) throw new Error('completion returned nothing: the benchmark would measure a no-op');
  }
  document = TextDocument.create(prdUri, 'markdown', ++version, original);
  service.updateDocument(document);

  // Rename of the popular outcome, from its definition in the (opened) strategy document.
  const definition = workspace.popularOutcomeDefinition;
  const strategy = TextDocument.create(uriFromPath(definition.file), 'markdown', 1, await fs.readFile(definition.file, 'utf8'));
  service.updateDocument(strategy);
  const renameStart = performance.now();
  const edit = service.getRenameEdits(
    strategy,
    { line: definition.line, character: definition.character + 1 },
    `${workspace.popularOutcomeId.split('-')[0]}-RENAMED`,
  );
  const renameMs = performance.now() - renameStart;
  const renameEdits = Object.values(edit?.changes ?? {}).reduce((sum, edits) => sum + edits.length, 0);
  if (renameEdits < workspace.popularOutcomeReferences + 1)
    throw new Error(`rename produced ${renameEdits} edits, expected at least ${workspace.popularOutcomeReferences + 1}`);

  return {
    coldIndexAndDiagnosticsMs,
    documents: service.graph.documentCount,
    items,
    diagnostics,
    editP50Ms: percentile(editSamples, 0.5),
    editP95Ms: percentile(editSamples, 0.95),
    renameMs,
    renameEdits,
    completionP50Ms: percentile(completionSamples, 0.5),
    completionP95Ms: percentile(completionSamples, 0.95),
    rssMb: memory.rss / 1048576,
    heapUsedMb: memory.heapUsed / 1048576,
  };
}
