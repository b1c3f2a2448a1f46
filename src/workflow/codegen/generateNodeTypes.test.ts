import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import * as builderModule from '../builder';
import { WorkflowBuilder } from '../builder';
import { fakeObjectInfo, objectInfo080 } from '../builder/__fixtures__/objectInfos';
import { generateNodeTypes } from './generateNodeTypes';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BUILDER = path.resolve(__dirname, '..', 'builder').split(path.sep).join('/');

/** One type test: a single line that must compile, or must not (and why, as the compiler says it). */
interface TypeCase {
  readonly name: string;
  readonly line: string;
  /** Undefined: the line compiles. Otherwise, what the compiler's message must say. */
  readonly fails?: RegExp;
}

const PRELUDE_080 = `import { ComfyWorkflow, createWorkflow, type CheckpointLoaderSimpleOutputs, type ComfyNodes } from './nodes080';
import { WorkflowBuilder, type Link } from '${BUILDER}';
declare const loaded: CheckpointLoaderSimpleOutputs; // 0.8.0 lists no checkpoint files: a loader's combo takes none
const g = createWorkflow();
const typed = new WorkflowBuilder<ComfyNodes>();
const text = g.CLIPTextEncode({ text: 'a red fox', clip: loaded.CLIP });
const latent = g.EmptyLatentImage();
const image = g.EmptyImage({ width: 64 });
export const used: unknown[] = [ComfyWorkflow, typed, text, latent, image];
`;

const CASES_080: readonly TypeCase[] = [
  { name: 'a full KSampler through add()', line: `g.add('KSampler', { model: loaded.MODEL, positive: text.output('CONDITIONING'), negative: text.output(0), latent_image: latent.output('LATENT'), sampler_name: 'euler', scheduler: 'karras' });` },
  { name: 'a factory method and outputs by name', line: `g.VAEDecode({ samples: g.LatentUpscale({ samples: latent.output(0), upscale_method: 'bislerp', crop: 'center' }).output('LATENT'), vae: loaded.VAE });` },
  { name: 'numbers, booleans and strings as values or links', line: `g.SaveAnimatedWEBP({ images: g.ImageInvert({ image: image.output('IMAGE') }).output(0), fps: 24, lossless: false, method: 'fastest', filename_prefix: 'x' });` },
  { name: 'a typed WorkflowBuilder<ComfyNodes> takes the same', line: `typed.add('ImageInvert', { image: image.output('IMAGE') }).output('IMAGE');` },
  { name: 'comma types and V3 match types fit what they list', line: `g.ResizeImageMaskNode({ input: image.output('IMAGE'), resize_type: 'scale by multiplier', 'resize_type.multiplier': 2 });` },
  { name: 'a V3 match-type output fits any input', line: `g.ImageInvert({ image: g.ComfySwitchNode({ switch: true, on_false: 1, on_true: 2 }).output(0) });` },
  { name: 'the untyped builder takes anything', line: `new WorkflowBuilder().add('AnyPackNode', { whatever: [1, 2] }).output(7);` },
  { name: 'a CLIP link into a MODEL input', line: `g.add('KSampler', { model: loaded.CLIP, positive: text.output(0), negative: text.output(0), latent_image: latent.output(0), sampler_name: 'euler', scheduler: 'normal' });`, fails: /'Link<"CLIP">' is not assignable to type 'Link<[^>]*"MODEL"[^>]*>'/ },
  { name: 'a LATENT link into a factory method IMAGE input', line: `g.ImageInvert({ image: latent.output(0) });`, fails: /'Link<"LATENT">' is not assignable to type 'Link<[^>]*"IMAGE"[^>]*>'/ },
  { name: 'a misspelt input', line: `g.add('EmptyLatentImage', { widht: 512 });`, fails: /'widht' does not exist in type 'EmptyLatentImageInputs'/ },
  { name: 'a misspelt input of a factory method', line: `g.EmptyLatentImage({ batch: 2 });`, fails: /'batch' does not exist in type 'EmptyLatentImageInputs'/ },
  { name: 'a combo value the server does not list', line: `g.LatentUpscale({ samples: latent.output(0), upscale_method: 'lanczos', crop: 'center' });`, fails: /Type '"lanczos"' is not assignable to type/ },
  { name: 'a combo value the server does not list, through add()', line: `g.add('KSamplerSelect', { sampler_name: 'eulr' });`, fails: /Type '"eulr"' is not assignable to type/ },
  { name: 'a checkpoint name when the server lists none', line: `g.CheckpointLoaderSimple({ ckpt_name: 'model.safetensors' });`, fails: /Type 'string' is not assignable to type 'never'/ },
  { name: 'an unknown node class', line: `g.add('KSamplr', {});`, fails: /'"KSamplr"' is not assignable to parameter of type '"APG" \| "AddNoise" \| / },
  { name: 'an output the node does not have', line: `latent.output('IMAGE');`, fails: /'"IMAGE"' is not assignable to parameter/ },
  { name: 'a type two outputs share', line: `g.LTXVConditioning({ positive: text.output(0), negative: text.output(0) }).output('CONDITIONING');`, fails: /'"CONDITIONING"' is not assignable to parameter/ },
  { name: 'a link into a legacy combo (the server says return_type_mismatch)', line: `g.LatentUpscale({ samples: latent.output(0), upscale_method: g.ComfySwitchNode({ switch: true, on_false: 1, on_true: 2 }).output(0), crop: 'center' });`, fails: /'Link<"COMFY_MATCHTYPE_V3">' is not assignable to type '"nearest-exact" \| /s },
  { name: 'a string into a number', line: `g.EmptyImage({ width: '64' });`, fails: /Type 'string' is not assignable to type 'number \| Link</ },
  { name: 'a required input left out', line: `g.add('VAEDecode', { vae: loaded.VAE });`, fails: /Property 'samples' is missing/ },
  { name: 'an unknown output is not a Link to use', line: `const wrong: Link<'MODEL'> = loaded.VAE; void wrong;`, fails: /'Link<"VAE">' is not assignable to type 'Link<"MODEL">'/ },
];

const PRELUDE_FAKE = `import { createWorkflow } from './nodesFake';
const g = createWorkflow();
const ckpt = g.CheckpointLoaderSimple({ ckpt_name: 'v1-5-pruned-emaonly.safetensors' });
const positive = g.CLIPTextEncode({ text: 'a red fox', clip: ckpt.output('CLIP') });
export const used: unknown[] = [positive];
`;

const CASES_FAKE: readonly TypeCase[] = [
  { name: 'the text2image template', line: `g.SaveImage({ images: g.VAEDecode({ samples: g.KSampler({ model: ckpt.output('MODEL'), positive: positive.output(0), negative: positive.output(0), latent_image: g.EmptyLatentImage().output(0), sampler_name: 'euler', scheduler: 'normal' }).output(0), vae: ckpt.output('VAE') }).output('IMAGE') });` },
  { name: 'the text2video loaders', line: `g.CLIPLoader({ clip_name: 't5xxl_fp16.safetensors', type: 'ltxv' });` },
  { name: 'a checkpoint the fake does not list', line: `g.CheckpointLoaderSimple({ ckpt_name: 'missing.safetensors' });`, fails: /Type '"missing.safetensors"' is not assignable to type/ },
  { name: 'a CLIP link into a MODEL input', line: `g.KSampler({ model: ckpt.output('CLIP'), positive: positive.output(0), negative: positive.output(0), latent_image: g.EmptyLatentImage().output(0), sampler_name: 'euler', scheduler: 'normal' });`, fails: /'Link<"CLIP">' is not assignable to type 'Link<"MODEL"/ },
  { name: 'a misspelt input', line: `g.CLIPTextEncode({ txt: 'a', clip: ckpt.output(1) });`, fails: /'txt' does not exist in type 'CLIPTextEncodeInputs'/ },
];

/** Names a generator must escape or rename, a class named like a builder method, custom and comma types, a description that ends a comment. */
const ODD_OBJECT_INFO = {
  'Image Resize (pack)': {
    input: { required: { image: ['IMAGE'], 'size-mode': [["a b", "c'd"]], '0': ['INT', { default: 1 }] } },
    output: ['IMAGE', 'MASK,IMAGE'],
    output_name: ['image out', 'mask'],
    name: 'Image Resize (pack)',
    display_name: 'Resize */ evil',
    description: 'two\nlines */ and a backtick `',
  },
  add: { input: { required: { x: ['*'] } }, output: ['*'], name: 'add' },
  'A-B': { input: {}, output: ['CUSTOM_T'], name: 'A-B' },
  A_B: { input: { required: { t: ['CUSTOM_T'] }, optional: { anything: ['*'] } }, output: [], name: 'A_B', output_node: true },
  '123Start': { input: {}, output: ['INT'], name: '123Start' },
  /** A newer server's V3 entry, minimal (no name): a dotted DynamicCombo child, a socketless dict widget, a multiselect combo. */
  SaveVideoV3: {
    input: {
      required: {
        video: ['VIDEO', {}],
        format: ['COMFY_DYNAMICCOMBO_V3', { options: [{ key: 'mp4', inputs: { required: { codec: [['h264', 'av1'], {}] } } }] }],
        camera: ['CAMERA_INFO_STATE', { socketless: true }],
        tags: ['COMBO', { options: ['a', 'b'], multiselect: true, multi_select: { chip: true }, default: ['a'] }],
      },
    },
    output: [],
    output_node: true,
    search_aliases: null,
  },
};

const PRELUDE_ODD = `import { createWorkflow } from './nodesOdd';
import type { Link } from '${BUILDER}';
declare const image: Link<'IMAGE'>;
declare const video: Link<'VIDEO'>;
const g = createWorkflow();
const resized = g['Image Resize (pack)']({ image, 'size-mode': "c'd", 0: 2 });
export const used: unknown[] = [resized];
`;

const CASES_ODD: readonly TypeCase[] = [
  { name: 'a comma-typed output fits an input of one of its types', line: `g['Image Resize (pack)']({ image: resized.output('mask'), 'size-mode': 'a b' });` },
  { name: 'outputs by a name with a space', line: `g['Image Resize (pack)']({ image: resized.output('image out'), 'size-mode': 'a b' });` },
  { name: 'a node pack type from the class that outputs it; any value into *', line: `g.A_B({ t: g['A-B']().output('CUSTOM_T'), anything: { a: 1 } });` },
  { name: "a class named like the builder's add() is reached through add()", line: `g.add('add', { x: 1 }).output('*');` },
  { name: 'a class whose name starts with a digit', line: `g['123Start']().output(0);` },
  { name: 'a newer V3 entry: a dotted DynamicCombo child and a dict-valued socketless widget', line: `g.SaveVideoV3({ video, format: 'mp4', 'format.codec': 'h264', camera: { position: { x: 0, y: 1, z: 2 } } });` },
  { name: 'a V3 DynamicCombo key the server does not offer', line: `g.SaveVideoV3({ video, format: 'mkv', camera: {} });`, fails: /Type '"mkv"' is not assignable to type '"mp4"'/ },
  { name: 'a link of another type into a node pack type', line: `g.A_B({ t: image });`, fails: /'Link<"IMAGE">' is not assignable to type 'Link<"CUSTOM_T" \| "\*">'/ }, // "*": the output of 'add'
  { name: 'an odd combo value misspelt', line: `g['Image Resize (pack)']({ image, 'size-mode': 'ab' });`, fails: /Type '"ab"' is not assignable to type '"a b" \| "c\'d"'/ },
];

/** `prelude`, then each case on its own line (behind `// @ts-expect-error` when it must fail, if `directives`). */
function typeTestSource(prelude: string, cases: readonly TypeCase[], directives: boolean): { text: string; lines: number[] } {
  const out = prelude.split('\n');
  const lines: number[] = [];
  for (const c of cases) {
    out.push(`// ${c.name}`);
    if (directives && c.fails) out.push('// @ts-expect-error');
    lines.push(out.length); // 0-based line of the case
    out.push(c.line.includes('const ') ? `{ ${c.line} }` : c.line);
  }
  return { text: `${out.join('\n')}\n`, lines };
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true, types: [] };
}

const describeDiagnostic = (d: ts.Diagnostic): string => `${d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : ''} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;

describe('generateNodeTypes', () => {
  const info080 = objectInfo080();
  let infoFake: Awaited<ReturnType<typeof fakeObjectInfo>>;
  let source080: string;
  let sourceFake: string;
  let dir: string;
  let program: ts.Program;
  let compileMs: number;
  /** Diagnostics of each file we wrote (the library's own sources are checked by the project's tsc). */
  const diagnostics = new Map<string, readonly ts.Diagnostic[]>();
  const files: Record<string, { text: string; lines: number[] }> = {};

  beforeAll(async () => {
    infoFake = await fakeObjectInfo();
    source080 = generateNodeTypes(info080, { serverVersion: '0.8.0', importFrom: BUILDER });
    sourceFake = generateNodeTypes(infoFake, { importFrom: BUILDER });
    dir = mkdtempSync(path.join(tmpdir(), 'comfyrx-codegen-'));
    writeFileSync(path.join(dir, 'nodes080.ts'), source080);
    writeFileSync(path.join(dir, 'nodesFake.ts'), sourceFake);
    writeFileSync(path.join(dir, 'nodesOdd.ts'), generateNodeTypes(ODD_OBJECT_INFO, { importFrom: BUILDER }));
    files['expect080.ts'] = typeTestSource(PRELUDE_080, CASES_080, true);
    files['bare080.ts'] = typeTestSource(PRELUDE_080, CASES_080, false);
    files['expectFake.ts'] = typeTestSource(PRELUDE_FAKE, CASES_FAKE, true);
    files['bareFake.ts'] = typeTestSource(PRELUDE_FAKE, CASES_FAKE, false);
    files['expectOdd.ts'] = typeTestSource(PRELUDE_ODD, CASES_ODD, true);
    files['bareOdd.ts'] = typeTestSource(PRELUDE_ODD, CASES_ODD, false);
    for (const [name, file] of Object.entries(files)) writeFileSync(path.join(dir, name), file.text);
    const started = performance.now();
    const names = ['nodes080.ts', 'nodesFake.ts', 'nodesOdd.ts', ...Object.keys(files)];
    program = ts.createProgram(
      names.map((name) => path.join(dir, name)),
      compilerOptions(),
    );
    for (const name of names) diagnostics.set(name, ts.getPreEmitDiagnostics(program, program.getSourceFile(path.join(dir, name))));
    compileMs = performance.now() - started;
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const diagnosticsOf = (name: string): readonly ts.Diagnostic[] => {
    const found = diagnostics.get(name);
    if (!found) throw new Error(`${name} was not compiled`);
    return found;
  };

  it('the modules for 0.8.0 (449 classes) and for the fake compile under the strict settings of the project', () => {
    expect(program.getSourceFile(path.join(dir, 'nodes080.ts'))).toBeDefined();
    expect(diagnosticsOf('nodes080.ts').map(describeDiagnostic)).toEqual([]);
    expect(diagnosticsOf('nodesFake.ts').map(describeDiagnostic)).toEqual([]);
    expect(diagnosticsOf('nodesOdd.ts').map(describeDiagnostic)).toEqual([]); // odd names escaped, renamed or left to add()
    expect(program.getCompilerOptions().strict).toBe(true);
    expect(source080).toMatch(/^\/\/ Generated by `comfyui-rx codegen` from the \/object_info of ComfyUI 0\.8\.0 \(449 node classes\)\./);
    console.info(`one ts.Program for both modules and every type test: ${(compileMs / 1000).toFixed(1)} s`);
  });

  it.each([
    ['0.8.0', 'expect080.ts'],
    ['the fake', 'expectFake.ts'],
    ['odd names and types', 'expectOdd.ts'],
  ])('type tests on %s: correct code compiles and every // @ts-expect-error line is an error', (_label, name) => {
    expect(diagnosticsOf(name).map(describeDiagnostic)).toEqual([]); // an unused @ts-expect-error is itself an error (TS2578)
  });

  it.each([
    ['0.8.0', 'bare080.ts', CASES_080],
    ['the fake', 'bareFake.ts', CASES_FAKE],
    ['odd names and types', 'bareOdd.ts', CASES_ODD],
  ])('type tests on %s fail for the reason they name, and only those', (_label, name, cases) => {
    const file = files[name] as { lines: number[] };
    const byLine = new Map<number, string[]>();
    for (const d of diagnosticsOf(name)) {
      const line = d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? -1;
      byLine.set(line, [...(byLine.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
    }
    cases.forEach((c, i) => {
      const messages = byLine.get(file.lines[i] as number) ?? [];
      byLine.delete(file.lines[i] as number);
      if (c.fails) expect({ case: c.name, messages }).toEqual({ case: c.name, messages: expect.arrayContaining([expect.stringMatching(c.fails)]) });
      else expect({ case: c.name, messages }).toEqual({ case: c.name, messages: [] });
    });
    expect([...byLine.values()].flat()).toEqual([]); // nothing fails outside the cases
  });

  it('is deterministic: the same /object_info gives the same bytes, whatever its key order', () => {
    const reversed = Object.fromEntries(Object.entries(info080).reverse());
    expect(generateNodeTypes(reversed, { serverVersion: '0.8.0', importFrom: BUILDER })).toBe(source080);
    expect(generateNodeTypes(info080, { importFrom: BUILDER })).toContain('from the /object_info of a ComfyUI server of unknown version');
  });

  it("the generated builder works at run time without /object_info: it fills defaults and finds outputs from its layout", () => {
    const js = ts.transpileModule(sourceFake, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', js)(exports, (id: string) => (id === BUILDER ? builderModule : require(id)));
    const generated = (exports.createWorkflow as (objectInfo?: unknown) => WorkflowBuilder)();
    const factories = generated as unknown as Record<string, ((inputs?: object) => builderModule.NodeHandle) | undefined>;
    const untyped = new WorkflowBuilder(infoFake);
    for (const g of [generated, untyped]) {
      const ckpt = g.add('CheckpointLoaderSimple', { ckpt_name: 'v1-5-pruned-emaonly.safetensors' });
      const text = g.add('CLIPTextEncode', { text: 'a fox', clip: ckpt.output('CLIP') });
      const sampled = g.add('KSampler', { model: ckpt.output('MODEL'), positive: text.output(0), negative: text.output(0), latent_image: g.add('EmptyLatentImage', {}).output('LATENT'), sampler_name: 'euler', scheduler: 'normal' });
      g.add('SaveImage', { images: g.add('VAEDecode', { samples: sampled.output(0), vae: ckpt.output('VAE') }).output('IMAGE') });
    }
    expect(generated.build()).toEqual(untyped.build());
    expect(factories.EmptyImage?.({}).id).toBe('7'); // a factory method per class
  });

  it('leaves out a class whose entry does not parse, and says so', () => {
    const source = generateNodeTypes({ Broken: { input: 'nope', name: 'Broken' }, Fine: { input: {}, output: ['IMAGE'], name: 'Fine' } }, { importFrom: BUILDER });
    expect(source).toMatch(/^\/\/ Left out "Broken": Invalid \/object_info entry 'Broken'/m);
    expect(source).toContain('export interface FineOutputs');
    expect(source).not.toContain('BrokenInputs');
  });
});
