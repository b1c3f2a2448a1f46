import { previewJpeg } from '../media/previewJpeg';
import type { NodeContext } from './nodeTypes';
import type { Latent } from './simValues';

/**
 * The sampling loop of KSampler and SamplerCustom: `steps` progress reports, the node latency
 * spread over them plus `stepLatencyMs` each, and a JPEG preview per step when previews are on.
 */
export async function sampleSteps(ctx: NodeContext, latent: Latent, seed: number, steps: number): Promise<void> {
  const perStep = ctx.latencyMs / steps + ctx.stepLatencyMs;
  for (let step = 1; step <= steps; step++) {
    const wait = ctx.sleep(perStep);
    if (wait) await wait;
    const preview = ctx.previews ? { mime: 'image/jpeg' as const, bytes: previewJpeg(latent.width, latent.height, seed, step) } : undefined;
    ctx.progress(step, steps, preview);
  }
}

/** Seeds are 64-bit in ComfyUI; placeholders only need 32 bits. */
export function seed32(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2 ** 32;
}
