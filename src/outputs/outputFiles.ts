import type { NodeOutput } from '../protocol/messages';
import { OutputFileRef } from '../protocol/api';

/** Output keys whose files are always animations (VideoHelperSuite's `gifs`, core `video`). */
const ANIMATION_KINDS: ReadonlySet<string> = new Set(['gifs', 'video', 'videos']);

/** 3D files newer servers list by name only (`Preview3D`'s `result`, `"mesh.glb [output]"`): the jobs API's extensions. */
const THREE_D = /\.(obj|fbx|gltf|glb|usdz)$/i;
const ANNOTATION = / \[(input|output|temp)\]$/;

/** A 3D file named by a string (optionally `sub/name.glb [output]`), as the jobs API normalises it; else undefined. */
function namedFile(entry: string): unknown {
  const annotation = ANNOTATION.exec(entry);
  const path = annotation ? entry.slice(0, -annotation[0].length) : entry;
  if (!THREE_D.test(path)) return undefined;
  const slash = path.lastIndexOf('/');
  return { filename: path.slice(slash + 1), subfolder: slash < 0 ? '' : path.slice(0, slash), type: annotation?.[1] ?? 'output' };
}

/** One file a history entry lists. */
export interface OutputFile {
  /** The node that produced it. */
  readonly nodeId: string;
  /** The output key it was listed under: `images`, `gifs`, `video`, `audio`, `3d`... */
  readonly kind: string;
  readonly file: OutputFileRef;
  /** An animation: listed under `gifs`/`video`/`videos`, or an image the node flagged (`animated: [true]`, SaveAnimatedWEBP). */
  readonly animated: boolean;
}

/** Options of {@link outputFiles}. */
export interface OutputFilesOptions {
  /** Also list `type: 'temp'` files (PreviewImage). Default false. */
  includeTemp?: boolean;
}

/**
 * Every downloadable file of a prompt's outputs (`done.outputs`, i.e. `/history` outputs), in
 * node order then list order: any output key whose value is a list of `{filename, subfolder, type}`
 * counts, whatever its name (`images`, `gifs`, `video`, `audio`, `3d`, custom nodes' keys; newer
 * servers' extra keys such as `metadata` kept), and so does a 3D file newer servers name by a
 * string (`"mesh.glb [output]"`); other values (`text`, `animated`) are skipped. Temp previews
 * are left out unless asked for.
 * ```ts
 * outputFiles({ '9': { images: [{ filename: 'a.png', subfolder: '', type: 'output' }] } })
 * // [{ nodeId: '9', kind: 'images', file: { filename: 'a.png', subfolder: '', type: 'output' }, animated: false }]
 * ```
 */
export function outputFiles(outputs: Readonly<Record<string, NodeOutput>>, options: OutputFilesOptions = {}): OutputFile[] {
  const files: OutputFile[] = [];
  for (const [nodeId, output] of Object.entries(outputs)) {
    const animatedFlags = Array.isArray(output.animated) ? output.animated : [];
    for (const [kind, value] of Object.entries(output)) {
      if (kind === 'animated' || !Array.isArray(value)) continue;
      value.forEach((entry: unknown, index) => {
        const parsed = OutputFileRef.safeParse(typeof entry === 'string' ? namedFile(entry) : entry);
        if (!parsed.success) return;
        if (parsed.data.type === 'temp' && !options.includeTemp) return;
        // ComfyUI sends one flag for all images of a node (`animated: (True,)`) or one per image
        const flag = (animatedFlags.length === 1 ? animatedFlags[0] : animatedFlags[index]) === true;
        const animated = ANIMATION_KINDS.has(kind) || (kind === 'images' && flag);
        files.push({ nodeId, kind, file: parsed.data, animated });
      });
    }
  }
  return files;
}
