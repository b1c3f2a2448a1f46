/**
 * UI-format (editor "Save") workflows that run on FakeComfyServer: the txt2img graph with the
 * editor's frontend-only nodes in it (a PrimitiveNode feeding the seed, a Reroute, a Note), as
 * the editor saves it (schema 0.4, links as arrays, widget sockets on widget inputs).
 */
import { UiGraph } from '../workflow/__fixtures__/uiGraph';

/** CheckpointLoaderSimple -> 2 x CLIPTextEncode ("Positive Prompt", "Negative Prompt") -> KSampler (seed from a PrimitiveNode) -> VAEDecode (VAE through a Reroute) -> SaveImage. */
export function uiTxt2img(prefix = 'ui', text = 'a red fox', seed = 1234): Record<string, unknown> {
  const g = new UiGraph();
  const checkpoint = g.node('CheckpointLoaderSimple', ['v1-5-pruned-emaonly.safetensors'], { id: 4, outputs: ['MODEL', 'CLIP', 'VAE'] });
  const positive = g.node('CLIPTextEncode', [text], { id: 6, title: 'Positive Prompt', inputs: [['clip', 'CLIP']], outputs: ['CONDITIONING'] });
  const negative = g.node('CLIPTextEncode', ['blurry'], { id: 7, title: 'Negative Prompt', inputs: [['clip', 'CLIP']], outputs: ['CONDITIONING'] });
  const latent = g.node('EmptyLatentImage', [64, 64, 1], { id: 5, outputs: ['LATENT'] });
  const sampler = g.node('KSampler', [42, 'randomize', 4, 7, 'euler', 'normal', 1], {
    id: 3,
    inputs: [['model', 'MODEL'], ['positive', 'CONDITIONING'], ['negative', 'CONDITIONING'], ['latent_image', 'LATENT'], ['seed', 'INT', true]],
    outputs: ['LATENT'],
  });
  const seedNode = g.node('PrimitiveNode', [seed, 'fixed'], { id: 10, title: 'seed', outputs: ['INT'] });
  const reroute = g.node('Reroute', undefined, { id: 11, inputs: [['', '*']], outputs: ['*'] });
  const decode = g.node('VAEDecode', undefined, { id: 8, inputs: [['samples', 'LATENT'], ['vae', 'VAE']], outputs: ['IMAGE'] });
  const save = g.node('SaveImage', [prefix], { id: 9, inputs: [['images', 'IMAGE']] });
  g.node('Note', ['made in the editor'], { id: 12 });
  g.link(checkpoint, 0, sampler, 'model');
  g.link(checkpoint, 1, positive, 'clip');
  g.link(checkpoint, 1, negative, 'clip');
  g.link(positive, 0, sampler, 'positive');
  g.link(negative, 0, sampler, 'negative');
  g.link(latent, 0, sampler, 'latent_image');
  g.link(seedNode, 0, sampler, 'seed');
  g.link(sampler, 0, decode, 'samples');
  g.link(checkpoint, 2, reroute, 0);
  g.link(reroute, 0, decode, 'vae');
  g.link(decode, 0, save, 'images');
  return g.workflow({ extra: { ds: { scale: 1, offset: [0, 0] }, frontendVersion: '1.28.0' } });
}
