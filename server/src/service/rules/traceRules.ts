import { z } from 'zod';
import { listBounded, MAX_CYCLE_MEMBERS_NAMED, MAX_RELATED_LOCATIONS } from '../model/limits';
import { traceTargetKinds } from '../model/config';
import { EXPECTED_KINDS, isRetiredRequirement, LINK_CONTEXTS, TableCellAttribute, withArticle, type Reference, type RelatedLocation } from '../model/model';
import { isTraced, retiredRequirementsTracing } from '../workspace/relations';
import { addTracesActions, createOutcomeStubAction, didYouMeanActions } from './traceFixes';
import { MAX_CONTAINER_DEPTH } from '../parse/markdown/blocks';
import { MAX_DESTINATION, MAX_LINKS } from '../parse/markdownLinks';
import { defineRule, itemsOfKind, liveItemsOfKind, problemRule } from './rule';

const TRACES = new Set<Reference['context']>(['traces']);
const SUPPORTS = new Set<Reference['context']>(['supports']);

export const untracedRequirement = defineRule({
  name: 'untraced-requirement',
  severity: 'error',
  description: 'A requirement has no `Traces:` naming an outcome (or a key result, with `requirementsMayTraceToKeyResults: true`).',
  details: "Quick fixes trace it to one of its PRD's outcomes, or to outcomes whose titles share words with it.",
  fix: {
    data: z.object({ itemId: z.string() }),
    actions: ({ state, document, index, diagnostic, data }) => addTracesActions(state, document, index, data.itemId, diagnostic),
  },
  check(context) {
    for (const requirement of itemsOfKind(context.document, 'requirement')) {
      // A retired requirement (its status, or a deprecated PRD) delivers nothing and needs no trace.
      if (isRetiredRequirement(requirement, context.document.items)) continue;
      if (context.linksFrom(requirement.id).some((reference) => reference.context === 'traces')) continue;
      const traces = requirement.attributes.find((attribute) => attribute.name === 'traces');
      context.report({
        span: requirement.idSpan,
        message: !traces
          ? requirement.inTable
            ? `${requirement.id} traces to no outcome: its table has no \`Traces\` column; add one and name the outcome in this row.`
            : `${requirement.id} traces to no outcome: add a \`Traces: OUT-…\` line below it.`
          : traces instanceof TableCellAttribute
            ? `${requirement.id}'s \`${traces.key}\` cell names no outcome ID.`
            : `${requirement.id} has a \`Traces:\` line that names no outcome ID.`,
        data: { itemId: requirement.id },
      });
    }
  },
});

export const unknownReference = defineRule({
  name: 'unknown-reference',
  severity: 'error',
  description: 'An ID is defined nowhere (a warning when it is only mentioned in prose).',
  details: 'Quick fixes offer the closest IDs and, for outcomes, a stub in the strategy.',
  fix: {
    data: z.object({ id: z.string() }),
    actions: ({ state, document, diagnostic, data }) => {
      const stub = createOutcomeStubAction(state, document, data.id, diagnostic);
      return [...didYouMeanActions(state, document, data.id, diagnostic), ...(stub ? [stub] : [])];
    },
  },
  check(context) {
    // A possible definition of an ID defined nowhere (`- REQ-14 Export`) is reported by `unrecognised-definition` instead.
    let possibleDefinitions: Set<string> | undefined;
    for (const problem of context.problems) {
      if (problem.unlessDefined !== undefined) (possibleDefinitions ??= new Set()).add(`${problem.span.line}:${problem.unlessDefined}`);
    }
    for (const reference of context.document.references) {
      if (context.graph.definitionCount(reference.id) > 0) continue;
      if (reference.context === 'prose' && possibleDefinitions?.has(`${reference.span.line}:${reference.id}`)) continue;
      const isLink = LINK_CONTEXTS.has(reference.context);
      context.report({
        span: reference.span,
        message: `${reference.id} is not defined anywhere in the workspace.`,
        severity: isLink ? 'error' : 'warning',
        data: { id: reference.id },
      });
    }
  },
});

export const wrongLinkKind = defineRule({
  name: 'wrong-link-kind',
  severity: 'error',
  description: 'A link names an item of the wrong kind, e.g. a requirement tracing to an objective (`Traces: OBJ-2`).',
  check(context) {
    for (const reference of context.document.references) {
      if (reference.context === 'prose') continue;
      const target = context.graph.definition(reference.id);
      if (!target) continue;
      // `requirementsMayTraceToKeyResults: true` lets `Traces:` name key results too.
      const expected = reference.context === 'traces' ? traceTargetKinds(context.config) : EXPECTED_KINDS[reference.context];
      if (expected.includes(target.kind)) continue;
      const where = {
        traces: '`Traces:`',
        supports: '`Supports:`',
        frontMatterVision: 'front-matter `vision`',
        frontMatterOutcomes: 'front-matter `outcomes`',
      }[reference.context];
      context.report({
        span: reference.span,
        message: `${where} expects ${expected.map(withArticle).join(' or ')}, but ${reference.id} is ${withArticle(target.kind)}.${
          reference.context === 'traces' && target.kind === 'keyResult'
            ? ' To let requirements trace to key results, set `requirementsMayTraceToKeyResults: true` in `.throughline.yml`.'
            : ''
        }`,
        related: [{ uri: target.uri, span: target.idSpan, message: `${target.id} is defined here` }],
      });
    }
  },
});

export const duplicateId = defineRule({
  name: 'duplicate-id',
  severity: 'error',
  description: 'The same ID is defined more than once; every definition gets the error.',
  check(context) {
    for (const item of context.document.items) {
      if (context.graph.definitionCount(item.id) < 2) continue;
      const all = context.graph.definitionsOf(item.id);
      // Only the locations a diagnostic can show are collected: with thousands of copies, listing
      // every other copy on every copy is quadratic in memory.
      const related: RelatedLocation[] = [];
      for (const other of all) {
        if (related.length > MAX_RELATED_LOCATIONS) break;
        if (other !== item) related.push({ uri: other.uri, span: other.idSpan, message: `${item.id} is also defined here` });
      }
      const unlisted = all.length - 1 - Math.min(related.length, MAX_RELATED_LOCATIONS);
      context.report({
        span: item.idSpan,
        message: `${item.id} is defined ${all.length} times; IDs must be unique in the workspace.`,
        related: related.slice(0, MAX_RELATED_LOCATIONS),
        ...(unlisted > 0 ? { unlistedRelated: unlisted } : {}),
      });
    }
  },
});

export const orphanOutcome = defineRule({
  name: 'orphan-outcome',
  severity: 'warning',
  description: 'No requirement traces to this outcome, or only retired ones (`Status: deprecated` …, or in a deprecated PRD).',
  details: 'A retired outcome needs no requirement.',
  check(context) {
    for (const outcome of liveItemsOfKind(context.document, 'outcome')) {
      // Most outcomes are traced: the count is the cheap first answer.
      if (context.graph.countReferences(outcome.id, TRACES) === 0) {
        context.report({ span: outcome.idSpan, message: `No requirement traces to ${outcome.id}: nothing delivers this outcome yet.` });
        continue;
      }
      if (isTraced(context.graph, outcome.id)) continue;
      const retired = retiredRequirementsTracing(context.graph, outcome.id);
      if (retired.length === 0) continue; // traced by other kinds of item: wrong-link-kind says so
      context.report({
        span: outcome.idSpan,
        message: `Only retired requirements trace to ${outcome.id} (${listBounded(
          retired.map((requirement) => requirement.id),
          MAX_CYCLE_MEMBERS_NAMED,
        )}): nothing delivers this outcome now.`,
        related: retired
          .slice(0, MAX_RELATED_LOCATIONS)
          .map((requirement) => ({ uri: requirement.uri, span: requirement.idSpan, message: `${requirement.id} is retired` })),
      });
    }
  },
});

export const unsupportedOutcome = defineRule({
  name: 'unsupported-outcome',
  severity: 'warning',
  description: 'The outcome supports no existing objective or key result.',
  details: 'A retired outcome (`Status: deprecated` …) is left alone.',
  check(context) {
    for (const outcome of liveItemsOfKind(context.document, 'outcome')) {
      const supports = context.linksFrom(outcome.id).filter((reference) => reference.context === 'supports');
      const supported = supports.some((reference) => {
        const target = context.graph.definition(reference.id);
        return target !== undefined && (target.kind === 'objective' || target.kind === 'keyResult');
      });
      if (supported) continue;
      context.report({
        span: outcome.idSpan,
        message: supports.length
          ? `${outcome.id} supports no existing objective or key result.`
          : `${outcome.id} supports no objective or key result: add a \`Supports: OBJ-…\` line below it.`,
      });
    }
  },
});

export const objectiveWithoutOutcomes = defineRule({
  name: 'objective-without-outcomes',
  severity: 'warning',
  description: 'No outcome supports the objective or any of its key results.',
  details: 'A retired objective (`Status: deprecated` …) is left alone.',
  check(context) {
    for (const objective of liveItemsOfKind(context.document, 'objective')) {
      if (context.graph.countReferences(objective.id, SUPPORTS) > 0) continue;
      const viaKeyResult = context.graph
        .childrenOf(objective.id)
        .some((child) => child.kind === 'keyResult' && context.graph.countReferences(child.id, SUPPORTS) > 0);
      if (viaKeyResult) continue;
      context.report({ span: objective.idSpan, message: `No outcome supports ${objective.id} or any of its key results.` });
    }
  },
});

export const cycle = defineRule({
  name: 'cycle',
  severity: 'error',
  description: 'Links form a loop.',
  check(context) {
    const { edges, members } = context.graph.cycles();
    for (const reference of edges.get(context.document.uri) ?? []) {
      // The graph sorts each cycle's members once; a message names a bounded number of them.
      const loop = members.get(reference.fromId!) ?? [reference.id];
      context.report({
        span: reference.span,
        message:
          reference.fromId === reference.id
            ? `${reference.id} links to itself.`
            : loop.length > MAX_CYCLE_MEMBERS_NAMED
              ? `This link closes a cycle of ${loop.length} items: ${listBounded(loop, MAX_CYCLE_MEMBERS_NAMED)}.`
              : `This link closes a cycle between ${loop.join(', ')}.`,
      });
    }
  },
});

export const frontMatter = problemRule({
  name: 'front-matter',
  severity: 'error',
  description: 'YAML syntax error or schema violation in the front-matter, at the key or value.',
});

export const encoding = problemRule({
  name: 'encoding',
  severity: 'error',
  description: 'The file is not valid UTF-8 (or UTF-16/UTF-32 with a byte-order mark), or a strategy document cannot be decoded at all.',
});

export const markdownLimit = problemRule({
  name: 'markdown-limit',
  severity: 'warning',
  description: `Markdown beyond what Throughline reads: block quotes and list items more than ${MAX_CONTAINER_DEPTH} levels deep, more than ${MAX_LINKS.toLocaleString('en-US')} links in one document (web links, which are never checked, not counted), a link destination over ${MAX_DESTINATION.toLocaleString('en-US')} characters.`,
  details:
    'From the marker that goes one level too deep, the rest of the line is read as text; links past the limit, and a destination too long, are not checked (`broken-link`). The warning sits where reading stopped. The limits keep indexing time and memory bounded on hostile input; no real document comes near them.',
});

export const config = problemRule({
  name: 'config',
  severity: 'error',
  description: 'A problem in `.throughline.yml`.',
  details:
    'An invalid entry, a YAML error or alias bomb, a file over the limits below, an `include`/`exclude` pattern that matches nothing or points outside the folder (a warning). Reported on the configuration file, under the same severities as every rule.',
});
