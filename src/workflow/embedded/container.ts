/**
 * The containers `readEmbeddedWorkflow` reads: `mp4` is any ISO-BMFF file (MP4, MOV, M4A),
 * `webm` any Matroska file (WebM, MKV), `mp3` an ID3v2-tagged file, `ogg` Ogg Opus, Vorbis or FLAC,
 * `glb` binary glTF (SaveGLB), `latent` a safetensors file (SaveLatent), `svg` SaveSVGNode's SVG.
 */
export type EmbeddedContainer = 'png' | 'webp' | 'mp4' | 'webm' | 'flac' | 'mp3' | 'ogg' | 'glb' | 'latent' | 'svg';
