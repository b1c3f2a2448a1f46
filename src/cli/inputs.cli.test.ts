/**
 * The CLI's input files, run in-process (`runCli`) against a FakeComfyServer on a real socket:
 * `--set NODE.inputs.NAME=@FILE` on run and generate, `generate --strategy image2video --inputs
 * DIR`, `upload` (files, masks), and `--set` paths that name no input.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { FakeComfyServer } from '../testing';
import { ExitCode } from './exitCodes';
import { type CapturedRun, runCliCaptured } from './__fixtures__/runCliCaptured';

const ROOT = path.resolve(__dirname, '../..');

function png(width: number, height: number, rgba: (x: number, y: number) => readonly number[]): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set(rgba(x, y), (y * width + x) * 4);
  return PNG.sync.write(image);
}

describe('CLI input files (in-process, FakeComfyServer)', () => {
  let fake: FakeComfyServer;
  let dir: string;
  let cwd: string;

  async function cli(args: readonly string[]): Promise<CapturedRun> {
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      return await runCliCaptured(['--plain', '--log-level', 'error', ...args], { COMFYUI_URL: fake.url });
    } finally {
      process.chdir(previous);
    }
  }

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
    dir = mkdtempSync(path.join(tmpdir(), 'comfyui-rx-cli-inputs-'));
    cwd = dir;
    writeFileSync(path.join(dir, 'photo.png'), png(4, 3, (x, y) => [x * 60, y * 80, 10, 255]));
    writeFileSync(
      path.join(dir, 'invert.json'),
      JSON.stringify({
        '1': { class_type: 'LoadImage', inputs: { image: 'placeholder.png' }, _meta: { title: 'Load Image' } },
        '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
        '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'cli-inv' } },
      }),
    );
  });
  afterEach(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('run --set "Load Image.inputs.image=@photo.png" uploads the file and saves it inverted', async () => {
    const result = await cli(['run', 'invert.json', '--set', 'Load Image.inputs.image=@photo.png', '--out', 'out']);
    expect(result).toMatchObject({ code: ExitCode.ok });
    const [saved] = readdirSync(path.join(dir, 'out'));
    const output = PNG.sync.read(readFileSync(path.join(dir, 'out', saved as string)));
    const source = PNG.sync.read(readFileSync(path.join(dir, 'photo.png')));
    expect([output.width, output.height]).toEqual([4, 3]);
    expect(output.data[4]).toBe(Math.floor(Math.fround(255 * Math.fround(1 - Math.fround((source.data[4] ?? 0) / 255)))));
    expect(fake.listFiles('input').map((file) => file.path)).toEqual([expect.stringMatching(/^comfyui-rx\/[0-9a-f]{32}\.png$/)]);
  });

  it('run --set ...=@missing.png is a usage error before connecting; a path naming no input lists the node\'s inputs', async () => {
    const missing = await cli(['run', 'invert.json', '--set', 'Load Image.inputs.image=@missing.png']);
    expect(missing.code).toBe(ExitCode.usage);
    expect(missing.stderr).toMatch(/no such file: missing\.png/);
    const typo = await cli(['run', path.join(ROOT, 'examples', 'workflows', 'text2image.json'), '--set', '5.inputs.widht=96']);
    expect(typo.code).toBe(ExitCode.usage);
    expect(typo.stderr).toMatch(/node 5 \(EmptyLatentImage\) has no input "widht" \(its inputs: width, height, batch_size/);
    const noInputs = await cli(['run', path.join(ROOT, 'examples', 'workflows', 'text2image.json'), '--set', '5.width=96']);
    expect(noInputs.code).toBe(ExitCode.usage);
    expect(noInputs.stderr).toMatch(/node 5 \(EmptyLatentImage\) has no input "width"/);
    expect(fake.stats.promptPosts.size).toBe(0);
  });

  it('generate --strategy image2video --inputs DIR makes one video per picture', async () => {
    const stills = path.join(dir, 'stills');
    mkdirSync(stills);
    for (const [name, colour] of [['a.png', [255, 0, 0, 255]], ['b.png', [0, 0, 255, 255]]] as const) writeFileSync(path.join(stills, name), png(8, 8, () => colour));
    const result = await cli(['generate', '--strategy', 'image2video', '--inputs', stills, '--set', '77.inputs.length=9', '--set', '77.inputs.width=64', '--set', '77.inputs.height=64', '--set', '71.inputs.steps=2', '--seed', '3', '--out', 'videos']);
    expect(result).toMatchObject({ code: ExitCode.ok });
    expect(readdirSync(path.join(dir, 'videos')).sort()).toEqual(['1-a-1-1-3.webp', '2-b-1-1-4.webp']);
    expect(fake.listFiles('input')).toHaveLength(2);
  });

  it('upload prints the stored names (the same for the same bytes); --no-dedupe keeps the name', async () => {
    writeFileSync(path.join(dir, 'copy.png'), readFileSync(path.join(dir, 'photo.png')));
    const first = await cli(['upload', 'photo.png', 'copy.png']);
    expect(first.code).toBe(ExitCode.ok);
    const names = first.stdout.trim().split('\n');
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^comfyui-rx\/[0-9a-f]{32}\.png$/);
    expect(names[1]).toBe(names[0]);
    const plain = await cli(['--json', 'upload', 'photo.png', '--no-dedupe']);
    expect(JSON.parse(plain.stdout)).toEqual({ type: 'uploaded', source: 'photo.png', file: { name: 'photo.png', subfolder: '', type: 'input', value: 'photo.png' } });
  });

  it('upload IMAGE --mask MASK, and --mask MASK --original NAME; an original the server lacks is exit 2', async () => {
    writeFileSync(path.join(dir, 'mask.png'), png(4, 3, (x) => [0, 0, 0, x < 2 ? 0 : 255]));
    const both = await cli(['upload', 'photo.png', '--mask', 'mask.png']);
    expect(both.code).toBe(ExitCode.ok);
    const [image, masked] = both.stdout.trim().split('\n');
    expect(masked).toMatch(/^comfyui-rx\/mask-[0-9a-f]{32}\.png$/);
    const composite = PNG.sync.read(fake.listFiles('input').find((file) => file.path === masked)?.bytes as Buffer);
    expect([composite.data[3], composite.data[11]]).toEqual([0, 255]);
    const onto = await cli(['upload', '--mask', 'mask.png', '--original', image as string, '--no-dedupe']);
    expect(onto).toMatchObject({ code: ExitCode.ok, stdout: 'mask.png\n' });
    const lacking = await cli(['upload', '--mask', 'mask.png', '--original', 'nowhere.png']);
    expect(lacking.code).toBe(ExitCode.usage);
    expect(lacking.stderr).toMatch(/nowhere\.png.*not on the server/);
    const misuse = await cli(['upload', '--original', 'x.png']);
    expect(misuse.code).toBe(ExitCode.usage);
  });
});
