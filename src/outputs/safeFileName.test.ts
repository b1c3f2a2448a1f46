import { SAFE_NAME_MAX_BYTES, safeFileName } from './safeFileName';

describe('safeFileName', () => {
  it('keeps ordinary names as they are', () => {
    expect(safeFileName('ComfyUI_00001_.png')).toBe('ComfyUI_00001_.png');
    expect(safeFileName('été à Paris.webp')).toBe('été à Paris.webp');
  });

  it.each([
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['   ', 'file'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['/etc/passwd', '_etc_passwd'],
    ['..\\..\\Windows\\win.ini', '_.._Windows_win.ini'],
    ['C:\\evil.png', 'C__evil.png'],
    ['a\u0000b.png', 'a_b.png'],
    ['line\nbreak\r.png', 'line_break_.png'],
    ['.bashrc', 'bashrc'],
    ['name. . .', 'name'],
    ['what?<>|*".png', 'what______.png'],
  ])('%j -> %j', (input, expected) => {
    const safe = safeFileName(input);
    expect(safe).toBe(expected);
    expect(safe).not.toMatch(/[/\\\u0000-\u001f]/);
    expect(safe.startsWith('.')).toBe(false);
  });

  it.each(['CON', 'con', 'PRN.txt', 'nul.png', 'COM1', 'lpt9.webp', 'Aux'])('prefixes the Windows device name %j', (name) => {
    expect(safeFileName(name)).toBe(`_${name}`);
  });

  it('does not touch names that only start like a device name', () => {
    expect(safeFileName('console.png')).toBe('console.png');
    expect(safeFileName('COM10.png')).toBe('COM10.png');
  });

  it('caps very long names in UTF-8 bytes, keeps the extension and never splits a character', () => {
    const ascii = safeFileName(`${'a'.repeat(5_000)}.png`);
    expect(Buffer.byteLength(ascii)).toBe(SAFE_NAME_MAX_BYTES);
    expect(ascii.endsWith('a.png')).toBe(true);
    const wide = safeFileName(`${'😀'.repeat(300)}.webp`);
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(SAFE_NAME_MAX_BYTES);
    expect(wide.endsWith('😀.webp')).toBe(true);
    expect(wide).not.toContain('\ufffd');
    expect(Buffer.from(wide).toString()).toBe(wide);
  });

  it('uses the fallback when nothing is left', () => {
    expect(safeFileName('..', 'image')).toBe('image');
  });
});
