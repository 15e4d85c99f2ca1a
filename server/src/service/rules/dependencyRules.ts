/** Rules on `Depends on:` links between requirements. */
import { ANY_ID } from '../parse/ids';
import { listBounded, MAX_CYCLE_MEMBERS_NAMED } from '../model/limits';
import { attributeOf, type Item, type LineSpan } from '../model/model';
import type { GraphQueries } from '../workspace/workspaceGraph';
import { defineRule, itemsOfKind } from './rule';

/** The IDs a requirement's `Depends on:` names, where each is written, in the ID syntax of link attributes. */
function dependsOn(requirement: Item): { id: string; span: LineSpan }[] {
  const attribute = attributeOf(requirement, 'depends on');
  if (!attribute) return [];
  return [...attribute.value.matchAll(ANY_ID)].map((match) => ({
    id: match[0],
    span: { line: attribute.line, start: attribute.valueStart + match.index, end: attribute.valueStart + match.index + match[0].length },
  }));
}

const isRequirement = (graph: GraphQueries, id: string) => graph.definitionsOf(id).some((item) => item.kind === 'requirement');

/**
 * The requirements reachable from `starts` by `Depends on:` links, grouped in strongly connected
 * components (Tarjan's algorithm, iterative so a long chain cannot overflow the stack). Other
 * documents are read through the graph only, so a recording graph sees every ID this depended on.
 */
function dependencyComponents(graph: GraphQueries, starts: readonly string[]): Map<string, readonly string[]> {
  const edges = new Map<string, string[]>();
  const edgesOf = (id: string): string[] => {
    let targets = edges.get(id);
    if (!targets) {
      targets = [];
      for (const item of graph.definitionsOf(id)) {
        if (item.kind !== 'requirement') continue;
        for (const dependency of dependsOn(item)) if (!targets.includes(dependency.id) && isRequirement(graph, dependency.id)) targets.push(dependency.id);
      }
      edges.set(id, targets);
    }
    return targets;
  };
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const componentOf = new Map<string, readonly string[]>();
  for (const start of starts) {
    if (order.has(start)) continue;
    const frames: { id: string; next: number }[] = [{ id: start, next: 0 }];
    order.set(start, order.size);
    low.set(start, order.get(start)!);
    stack.push(start);
    onStack.add(start);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      const targets = edgesOf(frame.id);
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!order.has(target)) {
          order.set(target, order.size);
          low.set(target, order.get(target)!);
          stack.push(target);
          onStack.add(target);
          frames.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, order.get(target)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== order.get(frame.id)) continue;
      const members: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        members.push(member);
      } while (member !== frame.id);
      members.sort();
      for (const id of members) componentOf.set(id, members);
    }
  }
  return componentOf;
}

export const dependencyCycle = defineRule({
  name: 'dependency-cycle',
  severity: 'error',
  description: 'Requirements depend on each other in a loop through their `Depends on:` lines, in one PRD or across PRDs.',
  check(context) {
    const { document, graph } = context;
    const requirements = itemsOfKind(document, 'requirement').filter((requirement) => attributeOf(requirement, 'depends on'));
    if (requirements.length === 0) return;
    const components = dependencyComponents(
      graph,
      requirements.map((requirement) => requirement.id),
    );
    for (const requirement of requirements) {
      const loop = components.get(requirement.id) ?? [];
      for (const dependency of dependsOn(requirement)) {
        const selfLoop = dependency.id === requirement.id;
        // The link is on a loop when its target is in the requirement's strongly connected component.
        if (!selfLoop && (loop.length < 2 || components.get(dependency.id) !== loop)) continue;
        if (!isRequirement(graph, dependency.id)) continue;
        context.report({
          span: dependency.span,
          message: selfLoop
            ? `${requirement.id} depends on itself.`
            : loop.length > MAX_CYCLE_MEMBERS_NAMED
              ? `This dependency closes a cycle of ${loop.length} requirements: ${listBounded(loop, MAX_CYCLE_MEMBERS_NAMED)}.`
              : `This dependency closes a cycle between ${loop.join(', ')}.`,
        });
      }
    }
  },
});
