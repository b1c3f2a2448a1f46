import { DEFAULT_MIME, mimeOf } from './mimeOf';

describe('mimeOf', () => {
  it.each([
    ['ComfyUI_00001_.png', 'image/png'],
    ['clip.webp', 'image/webp'],
    ['anim.gif', 'image/gif'],
    ['video.webm', 'video/webm'],
    ['video.mp4', 'video/mp4'],
    ['sound.wav', 'audio/wav'],
    ['sound.flac', 'audio/flac'],
    ['sound.mp3', 'audio/mpeg'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.jpeg', 'image/jpeg'],
    ['workflow.json', 'application/json'],
    ['notes.txt', 'text/plain; charset=utf-8'],
  ])('maps %s to %s', (name, mime) => {
    expect(mimeOf(name)).toBe(mime);
  });

  it('ignores case and directories, and looks only at the last extension', () => {
    expect(mimeOf('out/sub.dir/IMAGE.PNG')).toBe('image/png');
    expect(mimeOf('archive.png.json')).toBe('application/json');
  });

  it('falls back to application/octet-stream', () => {
    expect(mimeOf('model.safetensors')).toBe(DEFAULT_MIME);
    expect(mimeOf('README')).toBe(DEFAULT_MIME);
    expect(DEFAULT_MIME).toBe('application/octet-stream');
  });
});
