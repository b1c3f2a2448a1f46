import type { OutputFile } from '../outputs/outputFiles';
import type { BatchItem } from './batchEvents';
import { DEFAULT_FILE_PATTERN, compileFilePattern } from './fileNamePattern';

const item: BatchItem = {
  index: 10,
  total: 12,
  descriptionIndex: 2,
  descriptionCount: 3,
  description: 'Un Château, at dawn!',
  imageIndex: 1,
  perDescription: 4,
  seed: 1234,
  label: '[11/12] description 3/3, image 2/4',
};
const file = (filename: string): OutputFile => ({ nodeId: '9', kind: 'images', file: { filename, subfolder: '', type: 'output' }, animated: false });

describe('compileFilePattern', () => {
  it('expands the default pattern and appends the server extension', () => {
    expect(compileFilePattern(DEFAULT_FILE_PATTERN)(item, file('ComfyUI_00007_.png'), 0)).toBe('3-2-1234-ComfyUI_00007_.png');
  });

  it('pads numbers to the width of their count and knows every token', () => {
    const name = compileFilePattern('{n}_{d}_{i}_{k}_{seed}_{name}_{node}_{slug}.{ext}')(item, file('x.webp'), 2);
    expect(name).toBe('11_3_2_3_1234_x_9_un-chateau-at-dawn.webp');
  });

  it('keeps pattern sub-folders but not the ones a hostile server name brings', () => {
    const compile = compileFilePattern('{d}/{name}');
    expect(compile(item, file('a.png'), 0)).toBe('3/a.png');
    expect(compile(item, file('../../etc/passwd'), 0)).toBe('3/passwd');
    expect(compile(item, file('..\\..\\evil.png'), 0)).toBe('3/evil.png');
  });

  it('rejects unknown tokens, naming the known ones', () => {
    expect(() => compileFilePattern('{d}-{constructor}')).toThrow('out.pattern: unknown token {constructor} in "{d}-{constructor}" (known: {n} {d} {i} {k} {seed} {name} {ext} {node} {slug} {j} {input})');
  });
});
