import type { UploadResponse } from '../protocol/api';

/** A file ComfyUI stored: where (`name`, `subfolder`, `type`) and `value`, the exact string a Load node's widget takes. */
export interface UploadedFile {
  readonly name: string;
  readonly subfolder: string;
  readonly type: string;
  /** `name`, `subfolder/name`, and ` [output]` / ` [temp]` appended outside the input folder (LoadImage's annotated names). */
  readonly value: string;
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
