import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'comfyui-rx';

/**
 * The folder of comfyui-rx's own package.json, found upward from this file (works from `src/cli`
 * under tsx and from `dist/cli` once built or installed), so shipped files resolve from any cwd.
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // not ours or unreadable: keep looking upward
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${from}`);
    dir = parent;
  }
}
