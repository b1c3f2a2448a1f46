import { z } from 'zod';

/**
 * Schemas of `GET /object_info` (docs/protocol.md §6.12): the node definitions a server offers.
 * The single source of these types for the converter, the validator, the builder, codegen and the
 * fake. Input options stay loose (`z.looseObject`): node packs add keys of their own, and the
 * converter must see them (an unknown widget kind is a warning, not a loss).
 */

/** The options object of one input (`[type, options]`); only the keys we read are typed. */
export const InputOptions = z.looseObject({
  default: z.unknown().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  round: z.union([z.number(), z.boolean()]).optional(),
  tooltip: z.string().optional(),
  multiline: z.boolean().optional(),
  dynamicPrompts: z.boolean().optional(),
  /** `true`, or (newer frontends) the default mode's name; adds a `control_after_generate` widget value. */
  control_after_generate: z.union([z.boolean(), z.string()]).optional(),
  /** The input is a socket only, never a widget. */
  forceInput: z.boolean().optional(),
  /** Adds a frontend-only upload widget after this one (`image_upload`, `video_upload`, ...). */
  image_upload: z.boolean().optional(),
  video_upload: z.boolean().optional(),
  audio_upload: z.boolean().optional(),
  file_upload: z.boolean().optional(),
  /** Combo values of the v3 `"COMBO"` form: `["COMBO", { options: [...] }]`. */
  options: z.array(z.unknown()).optional(),
  multiselect: z.boolean().optional(),
  lazy: z.boolean().optional(),
  display: z.string().optional(),
  display_name: z.string().optional(),
  advanced: z.boolean().optional(),
  label_on: z.string().optional(),
  label_off: z.string().optional(),
});
export type InputOptions = z.infer<typeof InputOptions>;

/** A type name (`"INT"`, `"IMAGE"`, `"IMAGE,MASK"`, `"*"`) or, for a legacy combo, the list of its values. */
export const InputType = z.union([z.string(), z.array(z.unknown())]);
export type InputType = z.infer<typeof InputType>;

/** One declared input: `[type]` or `[type, options]` (a node pack may append more, ignored). */
export const InputSpec = z.tuple([InputType], z.unknown()).transform(([type, options]) => [type, InputOptions.catch({}).parse(options ?? {})] as const);
export type InputSpec = z.output<typeof InputSpec>;
export type InputSpecInput = z.input<typeof InputSpec>;

/** `hidden` inputs name what the server fills in: `"PROMPT"`, `"EXTRA_PNGINFO"`, `["UNIQUE_ID"]`. */
const HiddenSpec = z.union([z.string(), z.array(z.unknown())]);

/** §6.12 One node class of `/object_info`. */
export const NodeDefinition = z.object({
  input: z
    .object({
      required: z.record(z.string(), InputSpec).optional(),
      optional: z.record(z.string(), InputSpec).optional(),
      hidden: z.record(z.string(), HiddenSpec).optional(),
    })
    .default({}),
  /** The declared order of inputs (servers since 2024); without it, key order is the order. */
  input_order: z.object({ required: z.array(z.string()).optional(), optional: z.array(z.string()).optional(), hidden: z.array(z.string()).optional() }).optional(),
  /** Output types; a combo output (a list of values) stands as an array. */
  output: z.array(z.union([z.string(), z.array(z.unknown())])).default([]),
  output_is_list: z.array(z.boolean().nullable()).optional(),
  output_name: z.array(z.string()).optional(),
  output_tooltips: z.array(z.string().nullable()).optional(),
  /**
   * The class name; the key of the entry is what counts (tools that build their own node tables,
   * older and patched servers, send entries without it). The converter warns when it differs.
   */
  name: z.string().optional(),
  display_name: z.string().nullish(),
  description: z.string().nullish(),
  python_module: z.string().nullish(),
  category: z.string().nullish(),
  output_node: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  experimental: z.boolean().optional(),
  api_node: z.boolean().optional(),
  /** Declared by newer servers and packs: the frontend restores widget values by name (`widgets_values_named`). */
  fallbackWidgetsValuesNames: z.array(z.string()).optional(),
});
export type NodeDefinition = z.output<typeof NodeDefinition>;
export type NodeDefinitionInput = z.input<typeof NodeDefinition>;

/** §6.12 `GET /object_info`: class name -> definition. */
export const ObjectInfo = z.record(z.string(), NodeDefinition);
export type ObjectInfo = z.output<typeof ObjectInfo>;
