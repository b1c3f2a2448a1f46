import type { Workflow } from '../../protocol';
import { ExecutionList } from './executionList';

const OUTPUT_CLASSES = new Set(['SaveImage', 'PreviewImage']);

function order(prompt: Workflow, outputs: string[], cached: string[] = []): string[] {
  const list = new ExecutionList(prompt, (id) => OUTPUT_CLASSES.has(prompt[id]?.class_type ?? ''), (id) => cached.includes(id));
  for (const output of outputs) list.addNode(output);
  const ran: string[] = [];
  while (!list.isEmpty()) {
    const next = list.next();
    if (next === undefined) throw new Error(`cycle among ${list.remaining().join(',')}`);
    ran.push(next);
    list.complete(next);
  }
  return ran;
}

const node = (class_type: string, inputs: Record<string, unknown> = {}) => ({ class_type, inputs });

describe('ExecutionList', () => {
  it('runs sources before their consumers', () => {
    const prompt = { '3': node('SaveImage', { images: ['2', 0] }), '2': node('ImageInvert', { image: ['1', 0] }), '1': node('EmptyImage') };
    expect(order(prompt, ['3'])).toEqual(['1', '2', '3']);
  });

  it('prefers a ready output node, then a node feeding an output node', () => {
    const prompt = {
      '1': node('EmptyImage'),
      '2': node('ImageInvert', { image: ['1', 0] }),
      '3': node('ImageInvert', { image: ['2', 0] }),
      '4': node('SaveImage', { images: ['3', 0] }),
      '5': node('PreviewImage', { images: ['1', 0] }),
      '6': node('ImageInvert', { image: ['1', 0] }),
      '7': node('SaveImage', { images: ['6', 0] }),
    };
    // After 1: ready 2, 5, 6 -> the output 5 first; then 6 (feeds output 7) before 2 (two links from output 4).
    expect(order(prompt, ['4', '5', '7'])).toEqual(['1', '5', '6', '7', '2', '3', '4']);
  });

  it('leaves cached sources out: they neither run nor block', () => {
    const prompt = { '1': node('EmptyImage'), '2': node('ImageInvert', { image: ['1', 0] }), '3': node('SaveImage', { images: ['2', 0] }) };
    expect(order(prompt, ['3'], ['1'])).toEqual(['2', '3']);
    expect(order(prompt, ['3'], ['1', '2', '3'])).toEqual(['3']);
  });

  it('reports no ready node for a dependency cycle', () => {
    const prompt = { '1': node('ImageInvert', { image: ['2', 0] }), '2': node('ImageInvert', { image: ['1', 0] }), '3': node('SaveImage', { images: ['1', 0] }) };
    expect(() => order(prompt, ['3'])).toThrow(/cycle among 3,1,2/);
  });
});
