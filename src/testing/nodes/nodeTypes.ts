import type { NodeDefinitionInput, NodeOutput } from '../../protocol';
import type { FileStore } from '../server/fileStore';
import type { SimValue } from './simValues';

/** Options of one input in `object_info` (only the keys our catalog uses). */
export interface InputOptions {
  readonly default?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly round?: number | boolean;
  readonly tooltip?: string;
  readonly multiline?: boolean;
  readonly dynamicPrompts?: boolean;
  readonly control_after_generate?: boolean;
  readonly display?: string;
  readonly image_upload?: boolean;
  /** `LoadImageOutput`: the folder its picker lists, and the route it refreshes from. */
  readonly image_folder?: string;
  readonly remote?: { readonly route: string; readonly refresh_button?: boolean; readonly control_after_refresh?: string };
  readonly advanced?: boolean;
  readonly label_on?: string;
  readonly label_off?: string;
}

/** A type name (`"INT"`, `"IMAGE"`...) or the options of a combo. */
export type InputType = string | readonly string[];
/** `[type]` or `[type, options]`, as `object_info` lists an input. */
export type InputSpec = readonly [InputType] | readonly [InputType, InputOptions];

/** The full `object_info` entry of a node class, as ComfyUI serves it. */
export interface FullNodeDefinition extends Omit<NodeDefinitionInput, 'input'> {
  readonly input: {
    readonly required?: Readonly<Record<string, InputSpec>>;
    readonly optional?: Readonly<Record<string, InputSpec>>;
    readonly hidden?: Readonly<Record<string, string>>;
  };
  readonly input_order: Readonly<Record<string, readonly string[]>>;
  readonly output: string[];
  readonly output_is_list: boolean[];
  readonly output_name: string[];
  readonly name: string;
  readonly display_name: string;
  readonly description: string;
  readonly python_module: string;
  readonly category: string;
  readonly output_node: boolean;
  readonly output_tooltips?: string[];
}

/** A preview picture a node hands to its progress bar. */
export interface PreviewImage {
  readonly mime: 'image/jpeg' | 'image/png';
  readonly bytes: Buffer;
}

/** What a node may do while it runs (the fake's stand-in for ComfyUI's node environment). */
export interface NodeContext {
  readonly promptId: string;
  readonly nodeId: string;
  readonly classType: string;
  readonly files: FileStore;
  /** Simulated run time of this node (`nodeLatencyMs`); samplers spread it over their steps. */
  readonly latencyMs: number;
  /** Simulated time per progress step (`stepLatencyMs`). */
  readonly stepLatencyMs: number;
  /** Whether samplers send a preview per step (`previewMethod: 'auto'`). */
  readonly previews: boolean;
  /**
   * What savers embed in their files (ComfyUI's hidden PROMPT and EXTRA_PNGINFO inputs):
   * `{ ...extra_data.extra_pnginfo, prompt }`; `undefined` when the request sent no extra_pnginfo.
   */
  readonly fileMetadata?: Readonly<Record<string, unknown>>;
  /**
   * Waits `ms` of real time (returns synchronously for 0). `interruptible` wakes up on
   * `POST /interrupt` and throws the interrupt, like a node polling the flag.
   */
  sleep(ms: number, interruptible?: boolean): void | Promise<void>;
  /**
   * Reports progress (ComfyUI's progress-bar hook): checks the interrupt flag first (and throws
   * it), then sends `progress_state`, the preview and `progress`.
   */
  progress(value: number, max: number, preview?: PreviewImage): void;
}

/** Outputs by slot, and the node's UI output (`executed.output`, history `outputs`). */
export interface NodeResult {
  readonly outputs: readonly SimValue[];
  readonly ui?: NodeOutput;
}

/** The server state a node's definition or cache key may look at (LoadImage lists the input files). */
export interface ValidationEnv {
  readonly files: FileStore;
}

/** One node class of the fake: its `object_info` entry and how it runs. */
export interface NodeBehaviour {
  readonly definition: FullNodeDefinition;
  /** `object_info` entry computed per request (LoadImage lists the current input files). */
  describe?(env: ValidationEnv): FullNodeDefinition;
  /**
   * Samplers spread `nodeLatencyMs` over their steps themselves; for every other node the
   * executor waits it out before `run`.
   */
  readonly spreadsLatency?: boolean;
  /** ComfyUI's IS_CHANGED: mixed into the cache signature; `NaN`-like (`'never'`) disables caching. */
  changeKey?(inputs: Readonly<Record<string, unknown>>, env: ValidationEnv): string;
  run(ctx: NodeContext, inputs: Readonly<Record<string, unknown>>): NodeResult | Promise<NodeResult>;
}

/** Marker returned by `changeKey` for nodes that must never be served from the cache. */
export const NEVER_CACHED = 'never-cached';
