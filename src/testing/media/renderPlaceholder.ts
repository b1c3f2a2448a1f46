import { seededRandom } from './seededRandom';

/** Raw 8-bit RGBA pixels, row-major, 4 bytes per pixel, no padding. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

/** What a placeholder picture depends on. Sizes are used as given (callers clamp them). */
export interface PlaceholderPicture {
  /** Integer width in pixels, >= 1. */
  readonly width: number;
  /** Integer height in pixels, >= 1. */
  readonly height: number;
  /** Picks colours, shapes and their motion. */
  readonly seed: number;
  /** Mixed into the seed (e.g. the prompt text); '' and undefined are the same. */
  readonly text?: string;
  /** Animation frame index; each step moves the shapes and bands a little. Default 0. */
  readonly frame?: number;
}

type Rgb = readonly [number, number, number];

/** Shape count range and motion per frame, kept here so the look is tuned in one place. */
const MIN_BLOBS = 3;
const EXTRA_BLOBS = 3;
const BLOB_TURN_PER_FRAME = (2 * Math.PI) / 24;
const BAND_SHIFT_PER_FRAME = 0.5;
const BAND_AMPLITUDE = 0.12;
/** Resolution of the precomputed soft-edge opacity of a disc. */
const RING_STEPS = 1024;

/**
 * Renders an opaque, colourful placeholder picture: a seeded three-colour gradient crossed by soft
 * wavy bands, with a few seeded soft-edged discs on top. Deterministic for the same inputs; another
 * seed or text gives other colours, angles and shapes; `frame` moves discs along small orbits and
 * shifts the bands, so consecutive frames make a smooth animation.
 * @param picture Size, seed, optional text and frame.
 * @returns RGBA pixels (alpha is always 255).
 * @throws RangeError when width or height is not an integer >= 1.
 * @example const { data } = renderPlaceholder({ width: 64, height: 64, seed: 7 });
 */
export function renderPlaceholder(picture: PlaceholderPicture): RgbaImage {
  const { width, height, seed, text, frame = 0 } = picture;
  if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`width must be an integer >= 1 (got ${width})`);
  if (!(Number.isInteger(height) && height >= 1)) throw new RangeError(`height must be an integer >= 1 (got ${height})`);
  const rnd = seededRandom(seed, text);
  const data = Buffer.alloc(width * height * 4);
  paintGradient(data, width, height, rnd, frame);
  const blobs = MIN_BLOBS + Math.floor(rnd() * EXTRA_BLOBS);
  for (let i = 0; i < blobs; i++) paintBlob(data, width, height, rnd, frame);
  return { width, height, data };
}

function paintGradient(data: Buffer, width: number, height: number, rnd: () => number, frame: number): void {
  const hue = rnd() * 360;
  const stops: Rgb[] = [
    hsl(hue, 0.75, 0.5),
    hsl(hue + 80 + rnd() * 60, 0.7, 0.6),
    hsl(hue + 180 + rnd() * 60, 0.8, 0.4),
  ];
  const angle = rnd() * 2 * Math.PI;
  const [ca, sa] = [Math.cos(angle), Math.sin(angle)];
  const bandAngle = rnd() * 2 * Math.PI;
  const [cb, sb] = [Math.cos(bandAngle) * 2 * Math.PI, Math.sin(bandAngle) * 2 * Math.PI];
  const bandFreq = 1.5 + rnd() * 3;
  const bandPhase = rnd() * 2 * Math.PI + frame * BAND_SHIFT_PER_FRAME;
  const du = 1 / Math.max(1, width - 1);
  const dv = 1 / Math.max(1, height - 1);
  // sin(bandFreq * (u * cb + v * sb) + bandPhase) = sin(column) cos(row) + cos(column) sin(row)
  const columnSin = new Float64Array(width);
  const columnCos = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    columnSin[x] = Math.sin(bandFreq * x * du * cb);
    columnCos[x] = Math.cos(bandFreq * x * du * cb);
  }
  const [s0, s1, s2] = stops;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const v = y * dv;
    const rowAngle = bandFreq * v * sb + bandPhase;
    const rowSin = BAND_AMPLITUDE * Math.sin(rowAngle);
    const rowCos = BAND_AMPLITUDE * Math.cos(rowAngle);
    const rowBase = 0.5 + 0.7 * (v - 0.5) * sa;
    for (let x = 0; x < width; x++) {
      const wave = columnSin[x] * rowCos + columnCos[x] * rowSin;
      const t = clamp01(rowBase + 0.7 * (x * du - 0.5) * ca + wave) * 2;
      if (t < 1) {
        data[o] = s0[0] + (s1[0] - s0[0]) * t;
        data[o + 1] = s0[1] + (s1[1] - s0[1]) * t;
        data[o + 2] = s0[2] + (s1[2] - s0[2]) * t;
      } else {
        data[o] = s1[0] + (s2[0] - s1[0]) * (t - 1);
        data[o + 1] = s1[1] + (s2[1] - s1[1]) * (t - 1);
        data[o + 2] = s1[2] + (s2[2] - s1[2]) * (t - 1);
      }
      data[o + 3] = 255;
      o += 4;
    }
  }
}

function paintBlob(data: Buffer, width: number, height: number, rnd: () => number, frame: number): void {
  const side = Math.min(width, height);
  const orbit = (0.04 + rnd() * 0.06) * side;
  const turn = rnd() * 2 * Math.PI + frame * BLOB_TURN_PER_FRAME * (rnd() < 0.5 ? 1 : -1);
  const cx = (0.15 + rnd() * 0.7) * width + orbit * Math.cos(turn);
  const cy = (0.15 + rnd() * 0.7) * height + orbit * Math.sin(turn);
  const r = Math.max(1, (0.12 + rnd() * 0.2) * side);
  const inner = r * 0.55;
  // Opacity by squared distance over the soft ring, so the pixel loop needs no Math.sqrt
  // (Math calls are ~30x slower inside jest's VM contexts, where the fake server runs in tests).
  const r2 = r * r;
  const inner2 = inner * inner;
  const ring = new Float64Array(RING_STEPS + 1);
  for (let k = 0; k <= RING_STEPS; k++) {
    const edge = (r - Math.sqrt(inner2 + ((r2 - inner2) * k) / RING_STEPS)) / (r - inner);
    ring[k] = edge * edge * (3 - 2 * edge); // smoothstep
  }
  const ringScale = RING_STEPS / (r2 - inner2);
  const colour = hsl(rnd() * 360, 0.85, 0.55 + rnd() * 0.15);
  const opacity = 0.55 + rnd() * 0.35;
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(width - 1, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(height - 1, Math.ceil(cy + r));
  for (let y = y0; y <= y1; y++) {
    const dy = y - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx;
      const d2 = dx * dx + dy * dy;
      if (d2 >= r2) continue;
      const a = d2 <= inner2 ? opacity : opacity * ring[((d2 - inner2) * ringScale) | 0];
      const o = (y * width + x) * 4;
      data[o] += (colour[0] - data[o]) * a;
      data[o + 1] += (colour[1] - data[o + 1]) * a;
      data[o + 2] += (colour[2] - data[o + 2]) * a;
    }
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** HSL (hue in degrees, any range; s and l in 0..1) to 0..255 RGB. */
function hsl(hue: number, s: number, l: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 60;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
