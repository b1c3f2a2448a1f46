import type { SimValue } from '../nodes/simValues';

/** A Python-looking `str()` of a node input for `execution_error.current_inputs`. */
export function formatInput(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  const sim = value as SimValue;
  switch (sim.kind) {
    case 'IMAGE': {
      const channel = (shift: number) => {
        const level = sim.source.type === 'solid' ? (sim.source.color >> shift) & 0xff : 128;
        return ((sim.inverted ? 255 - level : level) / 255).toFixed(4);
      };
      const pixel = `[${channel(16)}, ${channel(8)}, ${channel(0)}]`;
      return `tensor([[[[${pixel},\n          ...,\n          ${pixel}]]]]) shape=[${sim.count}, ${sim.height}, ${sim.width}, 3]`;
    }
    case 'LATENT':
      return `{'samples': tensor(...) shape=[${sim.batch}, 4, ${sim.frames > 1 ? `${sim.frames}, ` : ''}${Math.round(sim.height / 8)}, ${Math.round(sim.width / 8)}]}`;
    case 'MASK':
      return `tensor(...) shape=[${sim.count}, ${sim.height}, ${sim.width}]`;
    case 'MODEL':
      return '<comfy.model_patcher.ModelPatcher object at 0x7f3a2c1d5e10>';
    case 'CLIP':
      return '<comfy.sd.CLIP object at 0x7f3a2c1d6f50>';
    case 'VAE':
      return '<comfy.sd.VAE object at 0x7f3a2c1d7a90>';
    case 'CONDITIONING':
      return `[[tensor(...), {'pooled_output': tensor(...)}]]`;
    case 'SAMPLER':
      return '<comfy.samplers.KSAMPLER object at 0x7f3a2c1d8b20>';
    case 'SIGMAS':
      return `tensor(...) shape=[${sim.steps + 1}]`;
    default:
      return String(value);
  }
}
