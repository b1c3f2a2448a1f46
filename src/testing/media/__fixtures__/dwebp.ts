/**
 * Test-only bridge to libwebp's command-line tools (Debian package `webp`), used only when they
 * are on PATH. Lives under __fixtures__ so the package build leaves it out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when both `dwebp` and `webpmux` run. */
export function webpToolsAvailable(): boolean {
  return ['dwebp', 'webpmux'].every((tool) => spawnSync(tool, ['-version'], { stdio: 'ignore' }).status === 0);
}

/**
 * Decodes every frame of an animated WebP with libwebp (`webpmux -get frame N`, then `dwebp -pam`).
 * Works on still images too (one frame). Temporary files are removed before returning.
 */
export function decodeFramesWithLibwebp(webp: Buffer, frameCount: number): { width: number; height: number; rgba: Buffer }[] {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrx-webp-'));
  try {
    const file = join(dir, 'in.webp');
    writeFileSync(file, webp);
    const frames: { width: number; height: number; rgba: Buffer }[] = [];
    for (let n = 1; n <= frameCount; n++) {
      const frameFile = join(dir, `frame${n}.webp`);
      const pam = join(dir, `frame${n}.pam`);
      if (frameCount > 1 || isAnimated(webp)) execFileSync('webpmux', ['-get', 'frame', String(n), file, '-o', frameFile], { stdio: 'pipe' });
      else writeFileSync(frameFile, webp);
      execFileSync('dwebp', [frameFile, '-pam', '-o', pam], { stdio: 'pipe' });
      frames.push(readPam(readFileSync(pam)));
    }
    return frames;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAnimated(webp: Buffer): boolean {
  return webp.toString('latin1', 12, 16) === 'VP8X' && (webp[20] & 0x02) !== 0;
}

function readPam(pam: Buffer): { width: number; height: number; rgba: Buffer } {
  const end = pam.indexOf('ENDHDR\n');
  const header = pam.toString('latin1', 0, end);
  const field = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(header)?.[1]);
  return { width: field('WIDTH'), height: field('HEIGHT'), rgba: pam.subarray(end + 'ENDHDR\n'.length) };
}
