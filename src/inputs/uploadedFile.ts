import type { UploadResponse } from '../protocol/api';

/** A file ComfyUI stored: where (`name`, `subfolder`, `type`) and `value`, the exact string a Load node's widget takes. */
export interface UploadedFile {
  readonly name: string;
  readonly subfolder: string;
  readonly type: string;
  /** `name`, `subfolder/name`, and ` [output]` / ` [temp]` appended outside the input folder (LoadImage's annotated names). */
  readonly value: string;
  /**
   * The Comfy API v2 asset the file is (placed through a v2 server): the workflow input becomes a
   * `core/ASSET` reference to it (see {@link inputReference}) instead of `value`.
   */
  readonly asset?: { readonly id: string; readonly hash?: string; readonly file_path?: string };
}

/**
 * What a workflow input holds for a stored file: its `value` (the name a Load node's widget takes),
 * or `{"__type": "core/ASSET", "info": {...}}` for a Comfy API v2 asset.
 * @example inputReference(file) // 'comfyui-rx/3f2a...png', or { __type: 'core/ASSET', info: { id, hash, file_path } }
 */
export function inputReference(file: UploadedFile): unknown {
  return file.asset ? { __type: 'core/ASSET', info: file.asset } : file.value;
}

/**
 * The {@link UploadedFile} of an upload answer: the widget value of a file ComfyUI stored.
 * @example uploadedFile({ name: 'a.png', subfolder: 'comfyui-rx', type: 'input' }).value // 'comfyui-rx/a.png'
 */
export function uploadedFile(answer: Pick<UploadResponse, 'name' | 'subfolder' | 'type'>): UploadedFile {
  const path = answer.subfolder ? `${answer.subfolder}/${answer.name}` : answer.name;
  return { name: answer.name, subfolder: answer.subfolder, type: answer.type, value: answer.type === 'input' ? path : `${path} [${answer.type}]` };
}

const ANNOTATION = /^(.*) \[(input|output|temp)\]$/;

/**
 * The file a widget value (a stored name) refers to: `"photo.png"`, `"sub/photo.png"`,
 * `"ComfyUI_00001_.png [output]"`. A plain name is in the input folder.
 * @example storedFileOf('out/x.png [output]') // { name: 'x.png', subfolder: 'out', type: 'output', value: 'out/x.png [output]' }
 */
export function storedFileOf(value: string): UploadedFile {
  const match = ANNOTATION.exec(value);
  const path = match?.[1] ?? value;
  const type = match?.[2] ?? 'input';
  const slash = path.lastIndexOf('/');
  return uploadedFile({ name: slash < 0 ? path : path.slice(slash + 1), subfolder: slash < 0 ? '' : path.slice(0, slash), type });
}
