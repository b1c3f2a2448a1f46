import { outputFiles } from './outputFiles';

const ref = (filename: string, type = 'output', subfolder = '') => ({ filename, subfolder, type });

describe('outputFiles', () => {
  it('lists every kind of output file in node order, skipping non-file values', () => {
    const files = outputFiles({
      '9': { images: [ref('a.png'), ref('b.png')], text: ['hello'] },
      '12': { gifs: [{ ...ref('v.mp4'), format: 'video/h264-mp4' }] },
      '13': { audio: [ref('s.flac')], video: [ref('m.webm')] },
    });
    expect(files.map((f) => [f.nodeId, f.kind, f.file.filename, f.animated])).toEqual([
      ['9', 'images', 'a.png', false],
      ['9', 'images', 'b.png', false],
      ['12', 'gifs', 'v.mp4', true],
      ['13', 'audio', 's.flac', false],
      ['13', 'video', 'm.webm', true],
    ]);
    expect(files[2]?.file.format).toBe('video/h264-mp4');
  });

  it('reads the animated flag: one for all images, or one per image', () => {
    expect(outputFiles({ '41': { images: [ref('a.webp'), ref('b.webp')], animated: [true] } }).map((f) => f.animated)).toEqual([true, true]);
    expect(outputFiles({ '41': { images: [ref('a.png'), ref('b.png')], animated: [false, true] } }).map((f) => f.animated)).toEqual([false, true]);
  });

  it('leaves temp previews out unless asked', () => {
    const outputs = { '9': { images: [ref('a.png')] }, '10': { images: [ref('p.png', 'temp')] } };
    expect(outputFiles(outputs).map((f) => f.file.filename)).toEqual(['a.png']);
    expect(outputFiles(outputs, { includeTemp: true }).map((f) => f.file.filename)).toEqual(['a.png', 'p.png']);
  });

  it('fills the defaults of a bare reference and skips malformed entries', () => {
    const files = outputFiles({ '9': { images: [{ filename: 'a.png' }, { filename: '' }, 42, null] } });
    expect(files).toEqual([{ nodeId: '9', kind: 'images', file: { filename: 'a.png', subfolder: '', type: 'output' }, animated: false }]);
  });
});

describe('outputFiles on newer servers', () => {
  it('keeps metadata and asset ids, lists 3d entries, and reads 3D files named by a string; text stays out', () => {
    const files = outputFiles({
      '9': { images: [{ ...ref('a.png'), metadata: { kind: 'image', width: 64, height: 32 }, id: 'asset-1', preview_id: null }] },
      '20': { '3d': [ref('mesh.glb', 'output', '3d')], result: ['3d/scan.glb [output]', 'notes [output]'], text: ['a caption'] },
      '21': { images: [ref('frame.png', 'input')], animated: [true] },
    });
    expect(files.map((f) => [f.nodeId, f.kind, f.file.subfolder, f.file.filename, f.file.type])).toEqual([
      ['9', 'images', '', 'a.png', 'output'],
      ['20', '3d', '3d', 'mesh.glb', 'output'],
      ['20', 'result', '3d', 'scan.glb', 'output'],
      ['21', 'images', '', 'frame.png', 'input'],
    ]);
    expect(files[0]?.file).toMatchObject({ metadata: { kind: 'image', width: 64, height: 32 }, id: 'asset-1' });
  });
});
