/** Model files the fake "has", by folder (`GET /models/{folder}`, loader combos). */
export type ModelFolders = Readonly<Record<string, readonly string[]>>;

/** Defaults: enough for the SD1.5 and LTX-Video templates in examples/workflows. */
export const DEFAULT_MODEL_FOLDERS: ModelFolders = {
  checkpoints: ['ltx-video-2b-v0.9.5.safetensors', 'sd_xl_base_1.0.safetensors', 'v1-5-pruned-emaonly.safetensors'],
  text_encoders: ['clip_l.safetensors', 't5xxl_fp16.safetensors'],
  vae: ['ae.safetensors'],
  loras: [],
  diffusion_models: [],
  embeddings: [],
  upscale_models: [],
  controlnet: [],
};

/** KSampler's sampler names (ComfyUI 0.8.0). */
export const SAMPLERS: readonly string[] = [
  'euler', 'euler_cfg_pp', 'euler_ancestral', 'euler_ancestral_cfg_pp', 'heun', 'heunpp2', 'dpm_2', 'dpm_2_ancestral',
  'lms', 'dpm_fast', 'dpm_adaptive', 'dpmpp_2s_ancestral', 'dpmpp_2s_ancestral_cfg_pp', 'dpmpp_sde', 'dpmpp_sde_gpu',
  'dpmpp_2m', 'dpmpp_2m_cfg_pp', 'dpmpp_2m_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m_sde_heun', 'dpmpp_2m_sde_heun_gpu',
  'dpmpp_3m_sde', 'dpmpp_3m_sde_gpu', 'ddpm', 'lcm', 'ipndm', 'ipndm_v', 'deis', 'res_multistep', 'res_multistep_cfg_pp',
  'res_multistep_ancestral', 'res_multistep_ancestral_cfg_pp', 'gradient_estimation', 'gradient_estimation_cfg_pp',
  'er_sde', 'seeds_2', 'seeds_3', 'sa_solver', 'sa_solver_pece', 'ddim', 'uni_pc', 'uni_pc_bh2',
];

/** KSampler's scheduler names. */
export const SCHEDULERS: readonly string[] = ['simple', 'sgm_uniform', 'karras', 'exponential', 'ddim_uniform', 'beta', 'normal', 'linear_quadratic', 'kl_optimal'];

/** CLIPLoader's model types. */
export const CLIP_TYPES: readonly string[] = [
  'stable_diffusion', 'stable_cascade', 'sd3', 'stable_audio', 'mochi', 'ltxv', 'pixart', 'cosmos', 'lumina2', 'wan',
  'hidream', 'chroma', 'ace', 'omnigen2', 'qwen_image', 'hunyuan_image',
];
