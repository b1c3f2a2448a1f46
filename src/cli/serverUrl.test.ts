import { CliUsageError } from './CliUsageError';
import { DEFAULT_SERVER_URL, serverUrl } from './serverUrl';

describe('serverUrl', () => {
  it('prefers --url, then COMFYUI_URL, then the default', () => {
    expect(serverUrl('http://a:1', { COMFYUI_URL: 'http://b:2' })).toEqual({ url: 'http://a:1', source: 'flag' });
    expect(serverUrl(undefined, { COMFYUI_URL: 'http://b:2' })).toEqual({ url: 'http://b:2', source: 'env' });
    expect(serverUrl(undefined, { COMFYUI_URL: '  ' })).toEqual({ url: DEFAULT_SERVER_URL, source: 'default' });
    expect(serverUrl(undefined, {})).toEqual({ url: DEFAULT_SERVER_URL, source: 'default' });
  });

  it('keeps credentials for the client but never puts them in its messages', () => {
    expect(serverUrl(undefined, { COMFYUI_URL: 'https://me:secret@host/comfy/' }).url).toBe('https://me:secret@host/comfy/');
    let message = '';
    try {
      serverUrl('ftp://me:secret@host', {});
    } catch (err) {
      expect(err).toBeInstanceOf(CliUsageError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/must start with http/);
    expect(message).not.toContain('secret');
  });

  it('says which setting is not a URL', () => {
    expect(() => serverUrl(undefined, { COMFYUI_URL: 'localhost8188' })).toThrow(/^COMFYUI_URL localhost8188 is not a URL/);
    expect(() => serverUrl('nope', {})).toThrow(/^--url nope is not a URL/);
  });
});
