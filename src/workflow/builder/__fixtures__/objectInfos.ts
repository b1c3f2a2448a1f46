import { readFileSync } from 'node:fs';
import path from 'node:path';
import { firstValueFrom } from 'rxjs';
import { libLogger } from '../../../log';
import type { ObjectInfo } from '../../../protocol/objectInfo';
import { FakeComfyServer } from '../../../testing';
import { ComfyHttp } from '../../../transport/http';

/** The shared `/object_info` of a real ComfyUI 0.8.0 (449 classes), parsed JSON. */
export function objectInfo080(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', '__fixtures__', 'object_info-0.8.0.json'), 'utf8')) as Record<string, unknown>;
}

/** What a FakeComfyServer serves on `GET /object_info` (started and stopped here). */
export async function fakeObjectInfo(): Promise<ObjectInfo> {
  const fake = await FakeComfyServer.start();
  try {
    return await firstValueFrom(new ComfyHttp({ url: fake.url, logger: libLogger() }).objectInfo());
  } finally {
    await fake.stop();
  }
}
