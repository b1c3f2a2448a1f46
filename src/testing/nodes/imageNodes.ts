import { FileStore } from '../server/fileStore';
import { pngSize, renderImage } from '../media/renderImage';
import { defineNode, SAVER_HIDDEN_INPUTS } from './defineNode';
import { NEVER_CACHED, type NodeBehaviour, type NodeContext, type NodeResult, type ValidationEnv } from './nodeTypes';
import { PyException } from '../engine/pythonExceptions';
import { saveImageBatch } from './saveImages';
import { expectKind, imageRecipe, type ImageBatch } from './simValues';

const MAX_RESOLUTION = 16384;
const TEMP_LETTERS = 'abcdefghijklmnopqrstupvxyz'; // sic: ComfyUI's PreviewImage alphabet

/** `EmptyImage(width, height, batch_size, color)`: a batch of one-colour pictures. */
export const EmptyImage: NodeBehaviour = {
  definition: defineNode({
    name: 'EmptyImage',
    displayName: 'EmptyImage',
    category: 'image',
    required: {
      width: ['INT', { default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }],
      height: ['INT', { default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }],
      batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
      color: ['INT', { default: 0, min: 0, max: 0xffffff, step: 1, display: 'color' }],
    },
    outputs: [['IMAGE', 'IMAGE']],
  }),
  run: (_ctx, inputs) => ({
    outputs: [
      {
        kind: 'IMAGE',
        width: inputs.width as number,
        height: inputs.height as number,
        count: inputs.batch_size as number,
        framesPerItem: 1,
        source: { type: 'solid', color: inputs.color as number },
        inverted: false,
      },
    ],
  }),
};

/** `ImageInvert(image)` */
export const ImageInvert: NodeBehaviour = {
  definition: defineNode({ name: 'ImageInvert', displayName: 'Invert Image', category: 'image', required: { image: ['IMAGE'] }, outputs: [['IMAGE', 'IMAGE']] }),
  run: (_ctx, inputs) => {
    const image = expectKind(inputs.image, 'IMAGE', 'image');
    return { outputs: [{ ...image, inverted: !image.inverted }] };
  },
};

/** `SaveImage(images, filename_prefix)`: `<prefix>_<counter:05>_.png` in the output folder. */
export const SaveImage: NodeBehaviour = {
  definition: defineNode({
    name: 'SaveImage',
    displayName: 'Save Image',
    category: 'image',
    description: 'Saves the input images to your ComfyUI output directory.',
    required: {
      images: ['IMAGE', { tooltip: 'The images to save.' }],
      filename_prefix: [
        'STRING',
        {
          default: 'ComfyUI',
          tooltip: 'The prefix for the file to save. This may include formatting information such as %date:yyyy-MM-dd% or %Empty Latent Image.width% to include values from nodes.',
        },
      ],
    },
    hidden: SAVER_HIDDEN_INPUTS,
    outputNode: true,
  }),
  run: (ctx, inputs) => {
    const images = expectKind(inputs.images, 'IMAGE', 'images');
    return { outputs: [], ui: { images: saveImageBatch(ctx.files, images, String(inputs.filename_prefix ?? 'ComfyUI'), 'output', ctx.fileMetadata) } };
  },
};

/** `PreviewImage(images)`: like SaveImage, into the temp folder with a random prefix. */
export const PreviewImage: NodeBehaviour = {
  definition: defineNode({
    name: 'PreviewImage',
    displayName: 'Preview Image',
    category: 'image',
    description: 'Saves the input images to your ComfyUI output directory.',
    required: { images: ['IMAGE'] },
    hidden: SAVER_HIDDEN_INPUTS,
    outputNode: true,
  }),
  run: (ctx, inputs) => {
    const images = expectKind(inputs.images, 'IMAGE', 'images');
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += TEMP_LETTERS[Math.floor(Math.random() * TEMP_LETTERS.length)];
    return { outputs: [], ui: { images: saveImageBatch(ctx.files, images, `ComfyUI_temp_${suffix}`, 'temp', ctx.fileMetadata) } };
  },
};

/** Magic numbers of the pictures PIL opens (PNG, JPEG, WebP, GIF, BMP, TIFF). */
const IMAGE_MAGIC: readonly (readonly number[])[] = [[0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x52, 0x49, 0x46, 0x46], [0x47, 0x49, 0x46, 0x38], [0x42, 0x4d], [0x49, 0x49, 0x2a, 0x00], [0x4d, 0x4d, 0x00, 0x2a]];

const isPicture = (bytes: Buffer): boolean => IMAGE_MAGIC.some((magic) => bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte));

/** Where ComfyUI 0.8.0 raises on a file PIL cannot open (`nodes.py` load_image, `node_helpers.pillow`, PIL's `Image.open`). */
const UNIDENTIFIED_FRAMES: readonly string[] = [
  '  File "/opt/ComfyUI/nodes.py", line 1664, in load_image\n    img = node_helpers.pillow(Image.open, image_path)\n          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
  '  File "/opt/ComfyUI/node_helpers.py", line 31, in pillow\n    x = fn(arg)\n        ^^^^^^^\n',
  '  File "/usr/lib/python3/dist-packages/PIL/Image.py", line 3283, in open\n    raise UnidentifiedImageError(msg)\n',
];

/**
 * What the Load nodes output for an annotated file name: the picture (its pixels are the file's,
 * so ImageInvert of an uploaded PNG is that PNG inverted) and its mask. Stored bytes that are no
 * picture raise PIL's `UnidentifiedImageError`, as the real LoadImage does at run time (its
 * validation only checks that the file exists).
 */
function loadImage(ctx: NodeContext, value: unknown): NodeResult {
  const file = ctx.files.resolveAnnotated(String(value));
  if (!file) throw new Error(`Invalid image file: ${String(value)}`);
  if (file.content.kind === 'bytes' && !isPicture(file.content.data)) {
    const path = `/opt/ComfyUI/${file.type}/${file.subfolder ? `${file.subfolder}/` : ''}${file.name}`;
    throw new PyException('PIL.UnidentifiedImageError', `cannot identify image file '${path}'`, UNIDENTIFIED_FRAMES);
  }
  const size = (file.content.kind === 'bytes' ? pngSize(file.content.data) : undefined) ?? { width: 512, height: 512 };
  const image: ImageBatch = {
    kind: 'IMAGE',
    ...size,
    count: 1,
    framesPerItem: 1,
    source: { type: 'file', fileKey: FileStore.key(file.type, file.subfolder, file.name) },
    inverted: false,
  };
  return { outputs: [image, { kind: 'MASK', ...size, count: 1 }] };
}

/** LoadImage's IS_CHANGED: the file and its version (an overwrite re-runs the node). */
const fileChangeKey = (inputs: Readonly<Record<string, unknown>>, env: ValidationEnv): string => {
  const file = env.files.resolveAnnotated(String(inputs.image));
  return file ? `${FileStore.key(file.type, file.subfolder, file.name)}#${file.version}` : 'missing';
};

/** `LoadImage(image)`: an uploaded input file (validation checks it exists: src/workflow/validate/nodeChecks.ts). */
export const LoadImage: NodeBehaviour = {
  definition: defineNode({
    name: 'LoadImage',
    displayName: 'Load Image',
    category: 'image',
    required: { image: [[], { image_upload: true }] },
    outputs: [
      ['IMAGE', 'IMAGE'],
      ['MASK', 'MASK'],
    ],
  }),
  describe(env) {
    return { ...this.definition, input: { required: { image: [env.files.inputImages(), { image_upload: true }] } } };
  },
  changeKey: fileChangeKey,
  run: (ctx, inputs) => loadImage(ctx, inputs.image),
};

/** `LoadImageOutput(image)`: LoadImage over the output folder (`"name.png [output]"`), how a later stage reads an earlier one's file without an upload. */
export const LoadImageOutput: NodeBehaviour = {
  definition: defineNode({
    name: 'LoadImageOutput',
    displayName: 'Load Image (from Outputs)',
    category: 'image',
    description: 'Load an image from the output folder. When the refresh button is clicked, the node will update the image list and automatically select the first image, allowing for easy iteration.',
    required: { image: ['COMBO', { image_upload: true, image_folder: 'output', remote: { route: '/internal/files/output', refresh_button: true, control_after_refresh: 'first' } }] },
    outputs: [
      ['IMAGE', 'IMAGE'],
      ['MASK', 'MASK'],
    ],
  }),
  changeKey: fileChangeKey,
  run: (ctx, inputs) => loadImage(ctx, inputs.image),
};

/**
 * `SaveImageWebsocket(images)` (ComfyUI's example custom node): each picture goes out as a
 * binary PNG frame through the progress bar (`progress` k/N); nothing is written, never cached.
 */
export const SaveImageWebsocket: NodeBehaviour = {
  definition: defineNode({
    name: 'SaveImageWebsocket',
    displayName: 'SaveImageWebsocket',
    category: 'api node/image',
    pythonModule: 'custom_nodes.websocket_image_save',
    required: { images: ['IMAGE'] },
    outputNode: true,
  }),
  changeKey: () => NEVER_CACHED,
  run: (ctx, inputs) => {
    const images = expectKind(inputs.images, 'IMAGE', 'images');
    for (let index = 0; index < images.count; index++) {
      ctx.progress(index, images.count, { mime: 'image/png', bytes: renderImage(imageRecipe(images, index), ctx.files) });
    }
    return { outputs: [] };
  },
};
