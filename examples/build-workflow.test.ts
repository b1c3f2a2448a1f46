/**
 * The templates written with WorkflowBuilder (build-workflow.ts) are the JSON templates of
 * examples/workflows/, node for node, on the /object_info of the FakeComfyServer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ComfyHttp, type ObjectInfo } from 'comfyui-rx';
import { FakeComfyServer } from 'comfyui-rx/testing';
import pino from 'pino';
import { firstValueFrom } from 'rxjs';
import { text2image, text2video } from './build-workflow';

const template = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, 'workflows', `${name}.json`), 'utf8'));

describe('build-workflow', () => {
  let objectInfo: ObjectInfo;
  beforeAll(async () => {
    const fake = await FakeComfyServer.start();
    try {
      objectInfo = await firstValueFrom(new ComfyHttp({ url: fake.url, logger: pino({ level: 'silent' }) }).objectInfo());
    } finally {
      await fake.stop();
    }
  });

  it('text2image built in code is examples/workflows/text2image.json', () => {
    expect(text2image(objectInfo)).toEqual(template('text2image'));
  });

  it('text2video built in code is examples/workflows/text2video.json', () => {
    expect(text2video(objectInfo)).toEqual(template('text2video'));
  });

  it('the description goes into the positive prompt only', () => {
    const prompt = text2image(objectInfo, 'a red fox');
    expect(prompt['6']?.inputs.text).toBe('a red fox');
    expect(prompt['7']?.inputs.text).toBe('text, watermark');
  });
});
