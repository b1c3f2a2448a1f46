import { FileStore } from '../server/fileStore';
import { pngSize, renderImage } from '../media/renderImage';
import { defineNode, SAVER_HIDDEN_INPUTS } from './defineNode';
import { NEVER_CACHED, type NodeBehaviour } from './nodeTypes';
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
  changeKey: (inputs, env) => {
    const file = env.files.resolveAnnotated(String(inputs.image));
    return file ? `${FileStore.key(file.type, file.subfolder, file.name)}#${file.version}` : 'missing';
  },
  run: (ctx, inputs) => {
    const file = ctx.files.resolveAnnotated(String(inputs.image));
    if (!file) throw new Error(`Invalid image file: ${String(inputs.image)}`);
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
  },
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
