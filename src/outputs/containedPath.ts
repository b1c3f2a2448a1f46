import path from 'node:path';
import { ComfyRxError } from '../errors';
import { safeFileName } from './safeFileName';

/** A path that would resolve outside its folder ({@link containedPath}'s cleaning prevents it; this is the last guard). */
export class ComfyPathEscapeError extends ComfyRxError {
  readonly code = 'COMFYRX_PATH_ESCAPE';
  constructor(
    readonly dir: string,
    readonly relativePath: string,
  ) {
    super(`Refusing to write outside ${dir}: ${JSON.stringify(relativePath)}`);
    this.name = 'ComfyPathEscapeError';
  }
}

/**
 * Resolves a relative path inside `dir` whatever it contains: it is split on `/` and `\`, each
 * segment goes through {@link safeFileName}, and `.`, `..` and empty segments are dropped, so an
 * absolute path, a `..` or a drive letter stays inside. The result is checked with `path.relative`
 * as a last guard.
 * ```ts
 * containedPath('/out', '../../etc/passwd')  // '/out/etc/passwd'
 * containedPath('/out', 'a\\b/c.png')        // '/out/a/b/c.png'
 * ```
 * @param dir The folder (made absolute).
 * @param relativePath Untrusted path below it; `fallback` when nothing is left of it.
 */
export function containedPath(dir: string, relativePath: string, fallback = 'file'): string {
  const root = path.resolve(dir);
  const segments = relativePath
    .split(/[/\\]+/)
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .map((segment) => safeFileName(segment, ''))
    .filter((segment) => segment !== '');
  const target = path.join(root, ...(segments.length ? segments : [fallback]));
  if (!isInside(root, target)) throw new ComfyPathEscapeError(root, relativePath);
  return target;
}

/** True when `target` is strictly below `root` (both absolute). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
