import { bypassSlot } from './bypassSlot';
import { type ConversionContext, setterName } from './conversionContext';
import { type GraphNode, SUBGRAPH_INPUT_ID } from './graph';
import { invalidWorkflow } from './invalidWorkflow';
import { primitiveSource, primitiveValue } from './primitiveValue';
import type { ValueSource } from './valueSource';
import { executionId, hostInputIndex, type Scope } from './scope';

/** What an input receives: a link to an emitted node's output, a literal value, or nothing. */
export type Resolved =
  | { readonly kind: 'link'; readonly id: string; readonly slot: number }
  | { readonly kind: 'literal'; readonly value: unknown; readonly source?: ValueSource }
  | { readonly kind: 'none' };

const NONE: Resolved = { kind: 'none' };

/** The next hop of the walk: the loop in `resolveInput` takes it (no recursion, however long the chain). */
type Hop =
  | { readonly kind: 'input'; readonly scope: Scope; readonly node: GraphNode; readonly index: number; readonly want: string }
  | { readonly kind: 'output'; readonly scope: Scope; readonly node: GraphNode; readonly index: number; readonly want: string };
type Step = Resolved | Hop;

/** Steps one resolution may take; a longer chain is a malformed file. */
const MAX_STEPS = 100_000;

/** The consumer the walk resolves for: a PrimitiveNode only feeds widget-backed inputs. */
interface Walk {
  readonly ctx: ConversionContext;
  readonly widgetBacked: boolean;
  readonly seen: Set<string>;
}

/**
 * Pass 5 (docs/conversion.md §2.6): what input `index` of `node` receives, following links through
 * reroutes, bypassed nodes (the frontend's type matching), muted nodes (nothing), subgraph and
 * group-node boundaries in both directions, PrimitiveNodes (their value, for widget inputs) and
 * KJNodes Get/Set pairs. Every step is recorded: a cycle or an over-long chain is an
 * `invalid_workflow` error, a link id missing from its scope's table or a link from a node that
 * does not exist too.
 */
export function resolveInput(ctx: ConversionContext, scope: Scope, node: GraphNode, index: number): Resolved {
  const input = node.inputs[index];
  if (!input) return NONE;
  const walk: Walk = { ctx, widgetBacked: input.widget !== undefined, seen: new Set() };
  let next: Step = { kind: 'input', scope, node, index, want: input.type };
  while (next.kind === 'input' || next.kind === 'output') {
    next = next.kind === 'input' ? inputOf(walk, next.scope, next.node, next.index, next.want) : outputOf(walk, next.scope, next.node, next.index, next.want);
  }
  return next;
}

const toInput = (scope: Scope, node: GraphNode, index: number, want: string): Hop => ({ kind: 'input', scope, node, index, want });
const toOutput = (scope: Scope, node: GraphNode, index: number, want: string): Hop => ({ kind: 'output', scope, node, index, want });

function step(walk: Walk, scope: Scope, node: GraphNode, key: string): void {
  const id = `${executionId(scope, node)}|${key}`;
  if (walk.seen.has(id)) throw invalidWorkflow(node.path, `the links through node ${node.id} form a cycle`, executionId(scope, node));
  if (walk.seen.size >= MAX_STEPS) throw invalidWorkflow(node.path, `a chain of more than ${MAX_STEPS} links`, executionId(scope, node));
  walk.seen.add(id);
}

function inputOf(walk: Walk, scope: Scope, node: GraphNode, index: number, want: string): Step {
  step(walk, scope, node, `I${index}`);
  const input = node.inputs[index];
  if (!input || input.link === null) return NONE;
  const link = scope.graph.links.get(input.link);
  if (!link) throw invalidWorkflow(`${node.path}.inputs.${index}.link`, `link ${input.link} is not in the links table`, executionId(scope, node));
  if (link.originId === SUBGRAPH_INPUT_ID) return boundaryInput(scope, link.originSlot, want, node);
  const source = scope.graph.nodes.get(link.originId);
  if (!source) throw invalidWorkflow(`${node.path}.inputs.${index}.link`, `link ${link.id} comes from node ${link.originId}, which does not exist`, executionId(scope, node));
  return toOutput(scope, source, link.originSlot, want);
}

/** An interior link from the subgraph's input box: the instance's input `k` (its link, else its promoted value). */
function boundaryInput(scope: Scope, k: number, want: string, consumer: GraphNode): Step {
  const { parent, host } = scope;
  if (!parent || !host) throw invalidWorkflow(consumer.path, 'a link from the subgraph input box outside of a subgraph', executionId(scope, consumer));
  const hostIndex = hostInputIndex(scope, k);
  if (hostIndex >= 0 && host.inputs[hostIndex]!.link !== null) return toInput(parent, host, hostIndex, want);
  if (scope.promoted.has(k)) return { kind: 'literal', value: scope.promoted.get(k), source: scope.promotedSources?.get(k) };
  return NONE;
}

function outputOf(walk: Walk, scope: Scope, source: GraphNode, slot: number, want: string): Step {
  step(walk, scope, source, `O${slot}`);
  if (source.mode === 2) return NONE;
  if (source.mode === 4) {
    const k = bypassSlot(source, slot, want);
    if (k < 0) {
      walk.ctx.warn(executionId(scope, source), { type: 'bypass_no_match', classType: source.type, message: `bypassed ${source.type} ${source.id} has no input of type ${want} to pass through: the consumer gets nothing` });
      return NONE;
    }
    return toInput(scope, source, k, source.inputs[k]!.type);
  }
  const kind = walk.ctx.classify(source);
  switch (kind.kind) {
    case 'normal':
    case 'replaced':
    case 'missing':
      return { kind: 'link', id: executionId(scope, source), slot };
    case 'reroute':
    case 'setter':
      return toInput(scope, source, Math.min(slot, Math.max(0, source.inputs.length - 1)), want);
    case 'primitive':
      return walk.widgetBacked ? { kind: 'literal', value: primitiveValue(walk.ctx, scope, source), source: primitiveSource(scope, source) } : NONE;
    case 'getter':
      return getterOutput(walk, scope, source, want);
    case 'virtual':
      return NONE;
    case 'instance':
    case 'group': {
      const definition = walk.ctx.definitionOf(source)!;
      const interior = walk.ctx.instanceScope(scope, source, definition);
      const linkId = definition.outputs[slot]?.linkIds[0];
      if (linkId === undefined) return NONE;
      const link = interior.graph.links.get(linkId);
      if (!link) throw invalidWorkflow(`${interior.graph.path}.outputs.${slot}`, `output link ${linkId} is not in the subgraph's links table`, executionId(scope, source));
      if (link.originId === SUBGRAPH_INPUT_ID) return boundaryInput(interior, link.originSlot, want, source);
      const inner = interior.graph.nodes.get(link.originId);
      if (!inner) throw invalidWorkflow(`${interior.graph.path}.outputs.${slot}`, `output link ${linkId} comes from node ${link.originId}, which does not exist`, executionId(scope, source));
      return toOutput(interior, inner, link.originSlot, want);
    }
  }
}

/** A KJNodes GetNode forwards the input of the SetNode of the same name, in its graph first, then the enclosing ones. */
function getterOutput(walk: Walk, scope: Scope, getter: GraphNode, want: string): Step {
  const name = setterName(getter);
  for (let up: Scope | undefined = scope; up; up = up.parent) {
    const setters = walk.ctx.settersNamed(up.graph, name);
    if (setters.length === 0) continue;
    if (setters.length > 1) walk.ctx.warn(executionId(scope, getter), { type: 'duplicate_setter', classType: getter.type, message: `${setters.length} SetNodes are named ${JSON.stringify(name)}: the first one is used` });
    return toInput(up, setters[0]!, 0, want);
  }
  walk.ctx.warn(executionId(scope, getter), { type: 'missing_setter', classType: getter.type, message: `no SetNode is named ${JSON.stringify(name)}: the consumer gets nothing` });
  return NONE;
}
