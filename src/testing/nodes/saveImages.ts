import { posix } from 'node:path';
import type { FileStore, FolderType } from '../server/fileStore';
import { PyException } from '../engine/pythonExceptions';
import { hashText, imageRecipe, type ImageBatch } from './simValues';

/** An entry of a saver's UI output. */
export interface SavedFileRef {
  readonly filename: string;
  readonly subfolder: string;
  readonly type: FolderType;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `folder_paths.get_save_image_path`: expands `%width%`-style variables and splits off the subfolder. */
export function savePath(prefix: string, width: number, height: number): { subfolder: string; filename: string } {
  let expanded = prefix;
  if (expanded.includes('%')) {
    const now = new Date();
    expanded = expanded
      .replaceAll('%width%', String(width))
      .replaceAll('%height%', String(height))
      .replaceAll('%year%', String(now.getFullYear()))
      .replaceAll('%month%', pad(now.getMonth() + 1, 2))
      .replaceAll('%day%', pad(now.getDate(), 2))
      .replaceAll('%hour%', pad(now.getHours(), 2))
      .replaceAll('%minute%', pad(now.getMinutes(), 2))
      .replaceAll('%second%', pad(now.getSeconds(), 2));
  }
  const normalized = posix.normalize(expanded);
  const subfolder = posix.dirname(normalized) === '.' ? '' : posix.dirname(normalized);
  if (normalized.startsWith('/') || subfolder === '..' || subfolder.startsWith('../')) {
    throw new PyException(
      'Exception',
      `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: /opt/ComfyUI/output/${subfolder}\n         output_dir: /opt/ComfyUI/output`,
    );
  }
  return { subfolder, filename: posix.basename(normalized) };
}

/**
 * Saves every picture of a batch as `<prefix>_<counter:05>_.png` (SaveImage, PreviewImage),
 * storing recipes that `GET /view` renders later (with `metadata` embedded, when given).
 */
export function saveImageBatch(files: FileStore, images: ImageBatch, prefix: string, type: FolderType, metadata?: Readonly<Record<string, unknown>>): SavedFileRef[] {
  const { subfolder, filename } = savePath(prefix, images.width, images.height);
  let counter = files.reserveCounter(type, subfolder, filename, images.count);
  const saved: SavedFileRef[] = [];
  for (let index = 0; index < images.count; index++) {
    const name = `${filename.replaceAll('%batch_num%', String(index))}_${pad(counter, 5)}_.png`;
    counter++;
    files.put(type, subfolder, name, {
      kind: 'image',
      recipe: metadata ? { ...imageRecipe(images, index), metadata } : imageRecipe(images, index),
    }, true);
    saved.push({ filename: name, subfolder, type });
  }
  return saved;
}

/** A seed that stands for a batch's pictures in animations and previews. */
export function batchSeed(images: ImageBatch): number {
  switch (images.source.type) {
    case 'solid':
      return images.source.color ^ (images.inverted ? 0xffffff : 0);
    case 'file':
      return hashText(images.source.fileKey) + (images.inverted ? 1 : 0);
    case 'synth':
      return images.source.seed + (images.inverted ? 1 : 0);
    default: {
      const exhaustive: never = images.source;
      return exhaustive;
    }
  }
}
