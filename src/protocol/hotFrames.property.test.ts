import fc from 'fast-check';
import { recordedFrames } from '../bench/traceFrames';
import { hotFrame } from './hotFrames';
import { KnownMessage, parseMessage } from './messages';
import { parsePythonJson } from './pythonJson';

const HOT = ['executing', 'progress', 'execution_start', 'execution_cached', 'executed', 'execution_success'] as const;

/** Any value a frame field may hold after Python's JSON: JSON values, and the non-finite numbers. */
const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined));
const promptId = fc.oneof(fc.uuid(), fc.constant(''));
const either = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });
/** The data of any hot frame: every field optional, each valid or junk, plus unknown keys. */
const data = fc
  .tuple(
    fc.record(
      {
        prompt_id: either(promptId),
        node: either(fc.oneof(fc.string(), fc.constant(null))),
        display_node: either(fc.string()),
        value: either(fc.double()),
        max: either(fc.double()),
        timestamp: either(fc.integer()),
        nodes: either(fc.array(fc.string(), { maxLength: 3 })),
        output: either(fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }))),
        merge: either(fc.boolean()),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.string(), junk, { maxKeys: 2 }),
  )
  .map(([known, extra]) => ({ ...extra, ...known }));
const frame = fc.record({ type: fc.oneof(fc.constantFrom(...HOT), fc.constantFrom('status', 'progress_state', 'x')), data: either(data) }, { requiredKeys: ['type'] });

describe('hotFrame (the compiled guards of the frequent frames)', () => {
  it('accepts only what the protocol schema accepts, with an equal output', () => {
    let accepted = 0;
    fc.assert(
      fc.property(frame, (json) => {
        const fast = hotFrame(json);
        if (fast === undefined) return;
        accepted++;
        const slow = KnownMessage.safeParse(json);
        expect(slow.success).toBe(true);
        expect(fast).toStrictEqual(slow.success ? slow.data : undefined);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100); // the property is about accepted frames: enough of them were generated
  });

  it('decides every recorded frame of a hot type (ComfyUI 0.8.0), exactly as the schema does', () => {
    const frames = recordedFrames().frames.map((text) => parsePythonJson(text) as { type: string });
    const hot = frames.filter((json) => (HOT as readonly string[]).includes(json.type));
    expect(hot.length).toBeGreaterThan(100);
    for (const json of hot) expect(hotFrame(json)).toStrictEqual(KnownMessage.parse(json));
  });

  it('leaves malformed frames to the schema, which words the error', () => {
    expect(hotFrame({ type: 'progress', data: { value: Number.NaN, max: 10 } })).toBeUndefined();
    expect(() => parseMessage('{"type": "progress", "data": {"value": NaN, "max": 10, "prompt_id": "p"}}')).toThrow(/Malformed 'progress'/);
    expect(hotFrame({ type: 'executing', data: { prompt_id: 'p' } })).toBeUndefined();
  });
});
