/**
 * KJNodes Set/Get pairs at scale (docs/conversion.md §6.19): each GetNode is resolved by a lookup,
 * not a scan of its graph. (`npm run bench` times 20,000 pairs: BENCH_ONLY=convert.)
 */
import { objectInfo } from '../__fixtures__/testObjectInfo';
import { UiGraph } from '../__fixtures__/uiGraph';
import { ConversionContext } from './conversionContext';
import { toApiPrompt } from './toApiPrompt';

/** `pairs` images, each sent through a SetNode and read back by a GetNode feeding an ImageInvert. */
function pairsWorkflow(pairs: number) {
  const g = new UiGraph();
  for (let i = 0; i < pairs; i++) {
    const source = g.node('EmptyImage', [8, 8, 1, i], { outputs: ['IMAGE'] });
    const set = g.node('SetNode', [`v${i}`], { inputs: [['IMAGE', 'IMAGE']], outputs: ['IMAGE'] });
    g.link(source, 0, set, 'IMAGE');
    const get = g.node('GetNode', [`v${i}`], { outputs: ['IMAGE'] });
    const consumer = g.node('ImageInvert', undefined, { inputs: [['image', 'IMAGE']], outputs: ['IMAGE'] });
    g.link(get, 0, consumer, 'image');
  }
  return g.workflow();
}

/** How many times the conversion asks what a node is (its work on nodes), for `pairs` pairs. */
function classifications(pairs: number): number {
  const classify = jest.spyOn(ConversionContext.prototype, 'classify');
  try {
    const { prompt, warnings } = toApiPrompt(pairsWorkflow(pairs), objectInfo);
    expect(warnings).toEqual([]);
    expect(prompt[String(4 * pairs)]!.inputs).toEqual({ image: [String(4 * pairs - 3), 0] }); // the last consumer reads the last image
    return classify.mock.calls.length;
  } finally {
    classify.mockRestore();
  }
}

describe('KJNodes Set/Get pairs at scale', () => {
  it('the work grows linearly with the number of pairs (was quadratic: every GetNode scanned its graph)', () => {
    const small = classifications(300);
    const large = classifications(1_200);
    expect(large / small).toBeLessThan(4.5); // 4x the pairs; a scan per GetNode would be 16x
  });

});
