import { serverDialect } from './serverTraits';

describe('serverDialect', () => {
  it.each([
    [{ version: '0.8.0' }, '0.8.0'],
    [{ version: '0.7.3' }, '0.8.0'],
    [{ version: 'v0.8.2' }, '0.8.0'],
    [{ version: '0.9.0' }, '0.38.1'],
    [{ version: '0.38.1' }, '0.38.1'],
    [{ version: '1.2.0' }, '0.38.1'],
    [{ version: null, features: { supports_preview_metadata: true, max_upload_size: 1 } }, '0.8.0'],
    [{ features: { node_replacements: true } }, '0.38.1'],
    [{ version: 'nightly', features: { assets: false } }, '0.38.1'],
    [{}, '0.8.0'],
  ])('%j answers as %s', (traits, dialect) => {
    expect(serverDialect(traits)).toBe(dialect);
  });
});
