import { z } from 'zod';
import { isPlainObject } from '../../util/isPlainObject';

/**
 * Schemas of the editor's Save format (docs/conversion.md §1.1): schema 0.4 (links as 6-arrays) and
 * schema 1 (links as objects, the form of every subgraph definition). Tolerant where real files
 * vary (ids as numbers or strings, slot indices as strings, link types as strings, lists or
 * numbers); everything the conversion does not read is left out (zod strips it).
 */

/** A node or link id: integers in the editor, strings in legacy group children and some exporters. */
export const UiId = z.union([z.number(), z.string()]);
export type UiId = z.infer<typeof UiId>;

/** A slot index; old files store some as strings (the frontend coerces them with parseInt). */
export const UiSlotIndex = z.union([z.number(), z.string().regex(/^-?\d+$/).transform((s) => Number.parseInt(s, 10))]);

/** A slot type: `"IMAGE"`, `"IMAGE,MASK"`, `"*"`, a list of names, or the number 0 (any). */
export const UiSlotType = z.union([z.string(), z.array(z.string()), z.number()]).nullish();

export const UiInputSlot = z.object({
  name: z.string(),
  type: UiSlotType,
  link: z.union([UiId, z.null()]).optional(),
  widget: z.object({ name: z.string() }).nullish(),
  label: z.string().nullish(),
});
export type UiInputSlot = z.infer<typeof UiInputSlot>;

export const UiOutputSlot = z.object({
  name: z.string().nullish(),
  type: UiSlotType,
  links: z.array(UiId).nullish(),
});
export type UiOutputSlot = z.infer<typeof UiOutputSlot>;

/** A JSON object kept as it is (not copied key by key: node properties are large and only read). */
const JsonObject = z.custom<Readonly<Record<string, unknown>>>(isPlainObject, 'expected an object');

export const UiNode = z.object({
  id: UiId,
  type: z.string(),
  mode: z.number().nullish(),
  title: z.string().nullish(),
  inputs: z.array(UiInputSlot).nullish(),
  outputs: z.array(UiOutputSlot).nullish(),
  properties: JsonObject.nullish(),
  /** Positional values (the editor), or an object keyed by widget name (some node packs). */
  widgets_values: z.union([z.array(z.unknown()), JsonObject]).nullish(),
  /** Frontend >= ~1.49: every persisted widget by name (duplicates as `name#1`). */
  widgets_values_named: JsonObject.nullish(),
});
export type UiNode = z.infer<typeof UiNode>;

/** Schema 0.4 link: `[id, origin_id, origin_slot, target_id, target_slot, type]`. */
export const UiLinkArray = z.tuple([UiId, UiId, UiSlotIndex, UiId, UiSlotIndex], z.unknown());
/** Schema 1 link. */
export const UiLinkObject = z.object({
  id: UiId,
  origin_id: UiId,
  origin_slot: UiSlotIndex,
  target_id: UiId,
  target_slot: UiSlotIndex,
  type: UiSlotType,
});
export const UiLink = z.union([UiLinkArray, UiLinkObject]);
export type UiLink = z.infer<typeof UiLink>;

/** Nested definitions are parsed one level at a time (each with its own path in errors). */
const UiDefinitions = z.object({ subgraphs: z.array(z.unknown()).nullish() }).nullish();

/** One input or output of a subgraph definition: its links inside the definition. */
export const UiSubgraphSlot = z.object({
  name: z.string(),
  type: UiSlotType,
  linkIds: z.array(UiId).nullish(),
});
export type UiSubgraphSlot = z.infer<typeof UiSubgraphSlot>;

/** A subgraph definition (`definitions.subgraphs[]`): a schema-1 graph with its boundary. */
export const UiSubgraph = z.object({
  id: z.string(),
  name: z.string().nullish(),
  /** `{lastNodeId, ...}`: where the editor numbers a node whose id is taken. */
  state: z.object({ lastNodeId: z.unknown() }).partial().nullish().catch(undefined),
  nodes: z.array(UiNode),
  links: z.array(z.union([UiLink, z.null()])).nullish(),
  inputs: z.array(UiSubgraphSlot).nullish(),
  outputs: z.array(UiSubgraphSlot).nullish(),
  definitions: UiDefinitions,
});
export type UiSubgraph = z.infer<typeof UiSubgraph>;

/** A child of a legacy group node definition: a serialised node whose id is its `index`. */
export const UiGroupNodeChild = UiNode.omit({ id: true }).extend({ index: z.number().optional() });
/** Legacy group node link: `[originIndex | null, originSlot, targetIndex, targetSlot, originalNodeId?, type?]`. */
export const UiGroupNodeLink = z.tuple([z.union([z.number(), z.null()]), UiSlotIndex, z.number(), UiSlotIndex], z.unknown());

/** `extra.groupNodes[Name]`: a legacy (pre-subgraph) group node definition. */
export const UiGroupNode = z.object({
  nodes: z.array(UiGroupNodeChild),
  links: z.array(z.union([UiGroupNodeLink, z.null()])).nullish(),
  external: z.array(z.tuple([z.unknown(), UiSlotIndex], z.unknown())).nullish(),
  config: z.record(z.string(), z.unknown()).nullish(),
});
export type UiGroupNode = z.infer<typeof UiGroupNode>;

/** A UI workflow (`LGraph.serialize()`, schema 0.4, or `version: 1`). */
export const UiWorkflow = z.object({
  version: z.union([z.number(), z.string()]).nullish(),
  /** Schema 0.4's id counter (schema 1: `state.lastNodeId`): where the editor numbers a node whose id is taken. */
  last_node_id: z.unknown().optional(),
  state: z.object({ lastNodeId: z.unknown() }).partial().nullish().catch(undefined),
  nodes: z.array(UiNode),
  links: z.array(z.union([UiLink, z.null()])).nullish(),
  definitions: UiDefinitions,
  extra: z.object({ groupNodes: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});
export type UiWorkflow = z.infer<typeof UiWorkflow>;
