/** Longest file name {@link safeFileName} returns, in UTF-8 bytes (255 is the usual limit; room is left for ` (12)`). */
export const SAFE_NAME_MAX_BYTES = 200;

/** Characters never kept in a file name: path separators, Windows-reserved punctuation, control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;
/** Device names Windows reserves whatever the extension (`CON`, `nul.txt`, `COM1.png`...). */
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;

/**
 * Makes an untrusted string (a server-provided file name, a description) safe as ONE path
 * segment on Linux, macOS and Windows:
 * - path separators (`/`, `\`), NUL and other control characters, and `<>:"|?*` become `_`;
 * - leading dots and spaces are dropped (so `..`, `.` and hidden names cannot come out), and
 *   trailing dots and spaces too (Windows ignores them);
 * - Windows device names (`CON`, `nul.png`, `COM1`...) get a `_` prefix;
 * - the result is cut to {@link SAFE_NAME_MAX_BYTES} UTF-8 bytes, keeping a short extension;
 * - an empty result becomes `fallback`.
 * ```ts
 * safeFileName('../../etc/passwd')  // '_.._etc_passwd'
 * safeFileName('CON.png')           // '_CON.png'
 * ```
 * @param name The untrusted name.
 * @param fallback Used when nothing is left (default `'file'`); itself assumed safe.
 */
export function safeFileName(name: string, fallback = 'file'): string {
  let safe = name.normalize('NFC').replace(UNSAFE_CHARS, '_');
  safe = safe.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (safe === '') return fallback;
  if (RESERVED_NAMES.test(safe)) safe = `_${safe}`;
  return capBytes(safe, SAFE_NAME_MAX_BYTES);
}

/** Cuts `name` to `maxBytes` UTF-8 bytes without splitting a character, keeping an extension of up to 16 characters. */
function capBytes(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const budget = maxBytes - Buffer.byteLength(ext);
  let stem = '';
  let bytes = 0;
  for (const char of name.slice(0, name.length - ext.length)) {
    const size = Buffer.byteLength(char);
    if (bytes + size > budget) break;
    stem += char;
    bytes += size;
  }
  stem = stem.replace(/[.\s]+$/, '');
  return `${stem || '_'}${ext}`;
}
