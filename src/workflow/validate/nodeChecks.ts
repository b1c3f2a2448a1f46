import { PyException } from './pyException';
import { pyContains, pyTypeName } from './python';

/** What a node's own check may ask about the server: whether an (annotated) input file exists. */
export interface ValidationEnvironment {
  /**
   * ComfyUI's `folder_paths.exists_annotated_filepath(name)`: `name` may end in ` [input]`,
   * ` [output]` or ` [temp]`. Without it, a plain or ` [input]` name exists when the input's
   * combo (the server's listing of its input folder) holds it, and other folders are assumed to.
   */
  readonly fileExists?: (annotatedName: string) => boolean;
  /**
   * Names (widget values) known to exist besides the listing: files this client placed on the
   * server since it read `/object_info` (its LoadImage combo does not list them yet).
   */
  readonly knownFiles?: ReadonlySet<string>;
}

/** The arguments a check receives (`None` for a linked input) and what it may look at. */
export interface NodeCheckContext {
  readonly env: ValidationEnvironment;
  /** The declared combo values of each checked input (the server's file listing for loaders). */
  readonly combos: Readonly<Record<string, readonly unknown[] | undefined>>;
}

/**
 * A node's `VALIDATE_INPUTS` (v1) / `validate_inputs` (v3), which `/object_info` does not show:
 * the inputs it takes (their min/max/combo checks are skipped), and the check, returning `true`
 * or the failure text. It may raise as the Python code would.
 */
export interface NodeCheck {
  /** `LoadImage.VALIDATE_INPUTS`, as Python names the function in a TypeError. */
  readonly qualname: string;
  readonly params: readonly string[];
  check(args: Readonly<Record<string, unknown>>, context: NodeCheckContext): true | string;
}

const ANNOTATIONS = [' [input]', ' [output]', ' [temp]'] as const;

/** `folder_paths.exists_annotated_filepath(name)`, offline or through the environment. */
function fileExists(name: unknown, param: string, context: NodeCheckContext): boolean {
  if (typeof name !== 'string') throw new PyException('AttributeError', `'${pyTypeName(name)}' object has no attribute 'endswith'`);
  if (context.env.knownFiles?.has(name)) return true;
  if (context.env.fileExists) return context.env.fileExists(name);
  const annotation = ANNOTATIONS.find((suffix) => name.endsWith(suffix.trim()));
  if (annotation && annotation !== ' [input]') return true; // another folder: only the server knows
  const plain = annotation ? name.slice(0, -annotation.length) : name;
  const listing = context.combos[param] ?? [];
  return pyContains(listing, plain) || pyContains(listing, name);
}

const fileCheck = (qualname: string, param: string, kind: string): NodeCheck => ({
  qualname,
  params: [param],
  check: (args, context) => (fileExists(args[param], param, context) ? true : `Invalid ${kind} file: ${String(args[param])}`),
});

/** The 0.8.0 core nodes with their own input check. */
export const NODE_CHECKS: Readonly<Record<string, NodeCheck>> = {
  LoadImage: fileCheck('LoadImage.VALIDATE_INPUTS', 'image', 'image'),
  LoadImageOutput: fileCheck('LoadImageOutput.VALIDATE_INPUTS', 'image', 'image'),
  LoadImageMask: fileCheck('LoadImageMask.VALIDATE_INPUTS', 'image', 'image'),
  LoadLatent: fileCheck('LoadLatent.VALIDATE_INPUTS', 'latent', 'latent'),
  LoadVideo: fileCheck('LoadVideo.validate_inputs', 'file', 'video'),
  LoadAudio: fileCheck('LoadAudio.validate_inputs', 'audio', 'audio'),
  CustomCombo: { qualname: 'CustomCombo.validate_inputs', params: ['choice'], check: () => true },
};

/** The check of a class, if it has one. */
export function nodeCheckOf(classType: string): NodeCheck | undefined {
  return Object.prototype.hasOwnProperty.call(NODE_CHECKS, classType) ? NODE_CHECKS[classType] : undefined;
}
