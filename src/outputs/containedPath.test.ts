import path from 'node:path';
import { containedPath, isInside } from './containedPath';

const root = path.resolve('/tmp/comfyui-rx-out');

/** The target lies strictly inside root, checked the way a reviewer would: with path.relative. */
function expectInside(target: string): void {
  const relative = path.relative(root, target);
  expect(relative).not.toBe('');
  expect(relative.split(path.sep)).not.toContain('..');
  expect(path.isAbsolute(relative)).toBe(false);
}

describe('containedPath', () => {
  it('keeps ordinary relative paths, sub-folders included', () => {
    expect(containedPath(root, 'a.png')).toBe(path.join(root, 'a.png'));
    expect(containedPath(root, 'sub/a.png')).toBe(path.join(root, 'sub', 'a.png'));
    expect(containedPath(root, 'sub\\a.png')).toBe(path.join(root, 'sub', 'a.png'));
  });

  it.each([
    '../../etc/passwd',
    '..',
    '.',
    '',
    '/etc/passwd',
    '/',
    '\\\\server\\share\\x.png',
    'C:\\Windows\\System32\\x.dll',
    'C:/x.png',
    'a/../../../b.png',
    './././../x',
    'a\u0000/../b',
    '..\\..\\x.png',
    `${'../'.repeat(50)}x`,
    `${'x'.repeat(1000)}/${'y'.repeat(1000)}.png`,
    'CON/aux.png',
  ])('keeps %j inside the folder', (hostile) => {
    const target = containedPath(root, hostile);
    expectInside(target);
    for (const segment of path.relative(root, target).split(path.sep)) expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(200);
  });

  it('uses the fallback name when nothing usable is left', () => {
    expect(containedPath(root, '../..', 'image.png')).toBe(path.join(root, 'image.png'));
  });
});

describe('isInside', () => {
  it('is true strictly below the root only', () => {
    expect(isInside(root, path.join(root, 'a'))).toBe(true);
    expect(isInside(root, path.join(root, '..a'))).toBe(true);
    expect(isInside(root, root)).toBe(false);
    expect(isInside(root, path.dirname(root))).toBe(false);
    expect(isInside(root, `${root}-sibling/a`)).toBe(false);
  });
});
