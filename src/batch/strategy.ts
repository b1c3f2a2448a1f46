import type { Workflow } from '../protocol/api';
import { ComfyLocateError, type MissingLocation } from './comfyLocateError';
import { findPositiveText } from './findPositiveText';
import { checkInputPath, formatInputPath } from './inputPath';

/** What a batch writes into each item's copy of the workflow. */
export const LOCATION_KEYS = ['text', 'seed', 'width', 'height', 'length', 'batchSize', 'steps', 'filenamePrefix', 'image'] as const;
export type LocationKey = (typeof LOCATION_KEYS)[number];

/** Input paths (`6.inputs.text`) per location key; empty when the workflow has no such place. */
export type Locations = { readonly [K in LocationKey]: readonly string[] };

/** Explicit paths that win over the search: one path or several (`'6.inputs.text'`, `['3.inputs.seed', '11.inputs.noise_seed']`). */
export type PathOverrides = { readonly [K in LocationKey]?: string | readonly string[] };

/** Values a strategy writes into every item (they need their location to be found). */
export interface StrategySettings {
  readonly width?: number;
  readonly height?: number;
  /** Frames (video latents). */
  readonly length?: number;
  /** Images per prompt (latent `batch_size`). */
  readonly batchSize?: number;
  readonly steps?: number;
  /** Server-side `filename_prefix` of the save nodes. */
  readonly filenamePrefix?: string;
}
export type SettingKey = keyof StrategySettings;

/**
 * How a batch fills a workflow template: where the description and the seed go, and fixed
 * settings. `text2image()` and `text2video()` find the places by `class_type`; a custom strategy
 * may do anything that returns {@link Locations}.
 */
export interface Strategy {
  /** `text2image`, `text2video`, or a custom name (used in messages). */
  readonly name: string;
  /** Word for one item in labels (`image`, `video`). Default `image`. */
  readonly noun?: string;
  /** Written into every item at the located paths. */
  readonly settings?: StrategySettings;
  /**
   * Finds where things go. `overrides` win over the search (and are not searched for).
   * @throws ComfyLocateError when `text`, `seed` or the location of a setting cannot be found.
   * @throws ComfyOptionsError when an override names no existing input.
   */
  locate(workflow: Workflow, overrides?: PathOverrides): Locations;
}

/** One searchable place: an input of nodes of a class (`KSampler`, `seed`). */
export type ClassInput = readonly [classType: string, input: string];

/** What {@link locateByClass} searches for, per key (`text` is found by following the sampler's positive link). */
export interface LocatorSpec {
  readonly name: string;
  readonly places: { readonly [K in Exclude<LocationKey, 'text'>]: readonly ClassInput[] };
  /** Keys that must be found besides `text` (`seed`), on top of the keys of the settings given. */
  readonly required: readonly LocationKey[];
  /** The positive text may be missing (an image-to-image template without a prompt): it is filled only when found. */
  readonly textOptional?: boolean;
}

/** The places both built-in strategies know. */
export const SEED_PLACES: readonly ClassInput[] = [
  ['KSampler', 'seed'],
  ['KSamplerAdvanced', 'noise_seed'],
  ['SamplerCustom', 'noise_seed'],
  ['RandomNoise', 'noise_seed'],
];
export const STEPS_PLACES: readonly ClassInput[] = [
  ['KSampler', 'steps'],
  ['KSamplerAdvanced', 'steps'],
  ['BasicScheduler', 'steps'],
  ['LTXVScheduler', 'steps'],
];
/** Where an input picture goes: the Load nodes' file widget. */
export const LOAD_IMAGE_PLACES: readonly ClassInput[] = [
  ['LoadImage', 'image'],
  ['LoadImageOutput', 'image'],
];
export const SAVE_PREFIX_PLACES: readonly ClassInput[] = ['SaveImage', 'SaveAnimatedWEBP', 'SaveAnimatedPNG', 'SaveWEBM', 'SaveVideo'].map(
  (classType) => [classType, 'filename_prefix'] as const,
);

/**
 * The search both built-in strategies run: explicit paths first, then the positive prompt by
 * following the samplers' `positive` links, then every other key by `class_type` and input name.
 * @throws ComfyLocateError listing every required key it could not find.
 */
export function locateByClass(spec: LocatorSpec, workflow: Workflow, settings: StrategySettings, overrides: PathOverrides = {}): Locations {
  const found: Partial<Record<LocationKey, readonly string[]>> = {};
  for (const key of LOCATION_KEYS) {
    const override = overrides[key];
    if (override === undefined) continue;
    const paths = typeof override === 'string' ? [override] : override;
    found[key] = paths.map((path, i) => {
      checkInputPath(workflow, path, typeof override === 'string' ? `paths.${key}` : `paths.${key}[${i}]`);
      return path;
    });
  }
  const missing: MissingLocation[] = [];
  const required = new Set<LocationKey>([...(spec.textOptional ? [] : (['text'] as const)), ...spec.required, ...settingKeys(settings)]);
  const text = found.text ? undefined : findPositiveText(workflow);
  if (text) found.text = text.paths;
  for (const key of LOCATION_KEYS) {
    if (key === 'text' || found[key]) continue;
    found[key] = findByClass(workflow, spec.places[key]);
  }
  for (const key of LOCATION_KEYS) {
    if (!required.has(key) || (found[key]?.length ?? 0) > 0) continue;
    if (key === 'text') missing.push({ key, lookedFor: text?.lookedFor ?? [], notes: text?.notes ?? [] });
    else missing.push({ key, lookedFor: spec.places[key].map(([classType, input]) => `${classType}.${input}`), notes: [] });
  }
  if (missing.length) throw new ComfyLocateError(spec.name, missing, Object.entries(workflow).map(([id, node]) => `${id}: ${node.class_type}`));
  const at = (key: LocationKey): readonly string[] => found[key] ?? [];
  return {
    text: at('text'),
    seed: at('seed'),
    width: at('width'),
    height: at('height'),
    length: at('length'),
    batchSize: at('batchSize'),
    steps: at('steps'),
    filenamePrefix: at('filenamePrefix'),
    image: at('image'),
  };
}

/** Paths of every `places` input present in the workflow, in node order. */
export function findByClass(workflow: Workflow, places: readonly ClassInput[]): string[] {
  const paths: string[] = [];
  for (const [id, node] of Object.entries(workflow)) {
    for (const [classType, input] of places) {
      if (node.class_type === classType && input in node.inputs) paths.push(formatInputPath(id, input));
    }
  }
  return paths;
}

/** Every setting; each is also the location key it is written to. */
export const SETTING_KEYS = ['width', 'height', 'length', 'batchSize', 'steps', 'filenamePrefix'] as const satisfies readonly (SettingKey & LocationKey)[];

/** The location keys the given settings need. */
export function settingKeys(settings: StrategySettings): LocationKey[] {
  return SETTING_KEYS.filter((key) => settings[key] !== undefined);
}
