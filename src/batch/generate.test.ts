import { NEVER, of } from 'rxjs';
import text2imageJson from '../../examples/workflows/text2image.json';
import { ComfyOptionsError } from '../errors';
import { Workflow } from '../protocol/api';
import type { BatchTarget } from './batchTarget';
import { ComfyLocateError } from './comfyLocateError';
import { type GenerateOptions, generate } from './generate';

const workflow = Workflow.parse(text2imageJson);
const target: BatchTarget = {
  run: () => of({ type: 'done', promptId: 'p', outputs: {}, elapsedMs: 0 }),
  httpFor: () => {
    throw new Error('unused');
  },
  hold: () => NEVER,
};
const base: GenerateOptions = { target, workflow, descriptions: ['a fox'] };

/** The message of what `generate(options)` throws synchronously, checking its class. */
function rejection(options: object, type: new (...args: never[]) => Error = ComfyOptionsError): string {
  try {
    generate(options as GenerateOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error('generate did not throw');
}

describe('generate options', () => {
  it('accepts the minimal options and a ComfyClient-like target', () => {
    expect(() => generate(base)).not.toThrow();
    const client = { run: target.run, http: { view: () => NEVER }, connection$: NEVER };
    expect(() => generate({ ...base, target: client as unknown as GenerateOptions['target'] })).not.toThrow();
  });

  it.each([
    [{ target: {} }, 'target: expected a ComfyClient, a ComfyPool or a BatchTarget'],
    [{ descriptions: [] }, 'descriptions: at least one description is needed'],
    [{ perDescription: 0 }, 'perDescription'],
    [{ perDescription: 1.5 }, 'perDescription'],
    [{ seed: { policy: 'sometimes' } }, 'seed.policy'],
    [{ seed: { policy: 'fixed', value: -1 } }, 'seed.value'],
    [{ paths: { text: 'six' } }, "paths.text: expected a path like '6.inputs.text'"],
    [{ paths: { colour: '6.inputs.text' } }, 'paths: Unrecognized key: "colour"'],
    [{ out: { dir: '' } }, 'out.dir'],
    [{ out: { dir: 'x', onExisting: 'clobber' } }, 'out.onExisting'],
    [{ runOptions: { promptId: 'same' } }, 'runOptions: promptId cannot be shared by the items of a batch'],
    [{ workflow: {} }, 'workflow'],
    [{ workflow: { '1': { inputs: {} } } }, 'workflow.1.class_type'],
    [{ strategy: { locate: 1 } }, 'strategy: expected a Strategy'],
    [{ unknownOption: true }, 'Unrecognized key: "unknownOption"'],
  ])('rejects %j at call time, naming the option', (bad, named) => {
    const message = rejection({ ...base, ...bad });
    expect(message.startsWith('Invalid generate options: ')).toBe(true);
    expect(message).toContain(named);
  });

  it('rejects explicit paths that are not in the workflow, and unknown file-name tokens', () => {
    expect(rejection({ ...base, paths: { seed: '42.inputs.seed' } })).toContain('paths.seed: node "42" is not in the workflow');
    expect(rejection({ ...base, out: { dir: 'x', pattern: '{d}-{colour}' } })).toContain('out.pattern: unknown token {colour}');
  });

  it("rejects 'fixed' without a value when the template's seed is not a number", () => {
    const linkedSeed = structuredClone(workflow);
    linkedSeed['3']!.inputs.seed = ['99', 0];
    expect(rejection({ ...base, workflow: linkedSeed, seed: { policy: 'fixed' } })).toContain("seed.value is required for policy 'fixed'");
  });

  it('a custom strategy that locates a missing input is an options error naming it', () => {
    const none = { text: [], seed: [], width: [], height: [], length: [], batchSize: [], steps: [], filenamePrefix: [] };
    const sloppy = { name: 'sloppy', locate: () => ({ ...none, text: ['6.inputs.text'], seed: ['3.inputs.sed'] }) };
    expect(rejection({ ...base, strategy: sloppy })).toBe('sloppy location seed[0]: node 3 (KSampler) has no input "sed" (its inputs: seed, steps, cfg, sampler_name, scheduler, denoise, model, positive, negative, latent_image)');
  });

  it('a workflow the strategy cannot read fails at call time with ComfyLocateError', () => {
    const plain = { '1': { class_type: 'EmptyImage', inputs: {} }, '9': { class_type: 'SaveImage', inputs: { images: ['1', 0] } } };
    expect(rejection({ ...base, workflow: plain }, ComfyLocateError)).toContain('text2image cannot find where to put text, seed');
  });
});
