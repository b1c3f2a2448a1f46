/**
 * build-workflow: the two templates of examples/workflows/ (text2image, text2video) written in
 * code with WorkflowBuilder instead of as JSON. With the server's /object_info the builder checks
 * every class, input and output name as nodes are added, fills the declared defaults, and build()
 * validates the prompt as the server would, before anything is sent. Then both run.
 * (`comfyui-rx codegen --url URL --out comfy-nodes.ts` writes types for the server's nodes: build
 * with its `createWorkflow()` and the compiler checks link types and combo values too.)
 *
 *   npx tsx examples/build-workflow.ts
 */
import { type Workflow, WorkflowBuilder } from 'comfyui-rx';
import { firstValueFrom } from 'rxjs';
import { openTarget } from './_target';

/** examples/workflows/text2image.json: SD 1.5, 512x512, 20 steps of euler. */
export function text2image(objectInfo: unknown, text = 'beautiful scenery nature glass bottle landscape, purple galaxy bottle'): Workflow {
  const g = new WorkflowBuilder(objectInfo);
  const ckpt = g.add('CheckpointLoaderSimple', { ckpt_name: 'v1-5-pruned-emaonly.safetensors' }, { id: 4 });
  const latent = g.add('EmptyLatentImage', { width: 512, height: 512, batch_size: 1 }, { id: 5 });
  const positive = g.add('CLIPTextEncode', { text, clip: ckpt.output('CLIP') }, { id: 6, title: 'CLIP Text Encode (Positive Prompt)' });
  const negative = g.add('CLIPTextEncode', { text: 'text, watermark', clip: ckpt.output('CLIP') }, { id: 7, title: 'CLIP Text Encode (Negative Prompt)' });
  const sampled = g.add(
    'KSampler',
    { seed: 156680208700286, sampler_name: 'euler', scheduler: 'normal', model: ckpt.output('MODEL'), positive: positive.output(0), negative: negative.output(0), latent_image: latent.output('LATENT') },
    { id: 3 },
  ); // steps 20, cfg 8, denoise 1: the declared defaults
  const image = g.add('VAEDecode', { samples: sampled.output('LATENT'), vae: ckpt.output('VAE') }, { id: 8 });
  g.add('SaveImage', { images: image.output('IMAGE') }, { id: 9 }); // filename_prefix: 'ComfyUI' by default
  return g.build();
}

/** examples/workflows/text2video.json: LTX-Video 2B, 768x512, 97 frames at 24 fps. */
export function text2video(
  objectInfo: unknown,
  text = 'A drone shot glides over a misty pine forest at sunrise, golden light breaking through the fog, slow cinematic camera movement.',
): Workflow {
  const g = new WorkflowBuilder(objectInfo);
  const clip = g.add('CLIPLoader', { clip_name: 't5xxl_fp16.safetensors', type: 'ltxv', device: 'default' }, { id: 38 });
  const ckpt = g.add('CheckpointLoaderSimple', { ckpt_name: 'ltx-video-2b-v0.9.5.safetensors' }, { id: 44 });
  const positive = g.add('CLIPTextEncode', { text, clip: clip.output('CLIP') }, { id: 6, title: 'CLIP Text Encode (Positive Prompt)' });
  const negative = g.add(
    'CLIPTextEncode',
    { text: 'low quality, worst quality, deformed, distorted, disfigured, motion smear, motion artifacts, fused fingers, bad anatomy, weird hand, ugly', clip: clip.output('CLIP') },
    { id: 7, title: 'CLIP Text Encode (Negative Prompt)' },
  );
  const conditioning = g.add('LTXVConditioning', { frame_rate: 24, positive: positive.output(0), negative: negative.output(0) }, { id: 69 });
  const latent = g.add('EmptyLTXVLatentVideo', { width: 768, height: 512, length: 97, batch_size: 1 }, { id: 70 });
  const sigmas = g.add('LTXVScheduler', { steps: 30, max_shift: 2.05, base_shift: 0.95, stretch: true, terminal: 0.1, latent: latent.output('LATENT') }, { id: 71 });
  const sampler = g.add('KSamplerSelect', { sampler_name: 'euler' }, { id: 73 });
  const sampled = g.add(
    'SamplerCustom',
    {
      add_noise: true,
      noise_seed: 497797676867141,
      cfg: 3,
      model: ckpt.output('MODEL'),
      positive: conditioning.output('positive'), // two CONDITIONING outputs: by name
      negative: conditioning.output('negative'),
      sampler: sampler.output('SAMPLER'),
      sigmas: sigmas.output('SIGMAS'),
      latent_image: latent.output(0),
    },
    { id: 72 },
  );
  const frames = g.add('VAEDecode', { samples: sampled.output('output'), vae: ckpt.output('VAE') }, { id: 8 });
  g.add('SaveAnimatedWEBP', { filename_prefix: 'ComfyUI', fps: 24, lossless: false, quality: 90, method: 'default', images: frames.output('IMAGE') }, { id: 41 });
  return g.build();
}

async function main(): Promise<void> {
  const { client, close } = await openTarget();
  try {
    const objectInfo = await firstValueFrom(client.http.objectInfo());
    for (const [name, prompt] of [
      ['text2image', text2image(objectInfo, 'a lighthouse on a cliff at dusk')],
      ['text2video', text2video(objectInfo, 'waves rolling onto a beach at dawn')],
    ] as const) {
      console.log(`${name}: built ${Object.keys(prompt).length} nodes (${Object.keys(prompt).join(', ')}), valid for this server`);
      const done = await client.runAsync(prompt);
      console.log(`${name}: prompt ${done.promptId} done in ${done.elapsedMs} ms, outputs of node(s) ${Object.keys(done.outputs).join(', ')}`);
    }
  } finally {
    await close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
