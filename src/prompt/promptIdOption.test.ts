import { randomUUID } from 'node:crypto';
import { ComfyOptionsError } from '../errors';
import { promptIdOption } from './promptIdOption';

describe('promptIdOption', () => {
  it('takes a canonical lowercase UUID, or nothing', () => {
    const id = randomUUID();
    expect(promptIdOption(id)).toBe(id);
    expect(promptIdOption(undefined)).toBeUndefined();
  });

  it.each(['job-1', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', 42, null])('%j is an options error naming the rule', (value) => {
    expect(() => promptIdOption(value)).toThrow(ComfyOptionsError);
    expect(() => promptIdOption(value)).toThrow(/canonical lowercase hyphenated form/);
  });
});
