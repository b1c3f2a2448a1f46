import { firstValueFrom } from 'rxjs';
import { ComfyClient } from '../../client';
import type { CliContext } from '../CliContext';
import { checkServer } from '../checkServer';
import { ExitCode } from '../exitCodes';
import { serverUrl } from '../serverUrl';
import { clientOptions } from '../clientOptions';

const gb = (bytes: number | undefined): string => (bytes === undefined ? '?' : `${(bytes / 1024 ** 3).toFixed(1)} GB`);

/** `comfyui-rx health`: is the server up, what runs it, how long is its queue. Exit 0 when it answers, 3 when not. */
export async function healthCommand(ctx: CliContext): Promise<ExitCode> {
  const { url } = serverUrl(ctx.urlFlag, ctx.env);
  const client = new ComfyClient({ url, ...clientOptions(ctx), lingerMs: 0 });
  await checkServer(client, ctx.connectTimeoutMs);
  if ((await firstValueFrom(client.resolveApi())) === 'v2') {
    // the Comfy API v2 tells only that it answers (no system stats, no queue)
    if (ctx.json) ctx.out(`${JSON.stringify({ type: 'health', ok: true, url: client.url, api: 'v2' })}\n`);
    else ctx.out(`Comfy API v2 at ${client.url} is up\n`);
    return ExitCode.ok;
  }
  const [stats, queue] = await Promise.all([firstValueFrom(client.http.systemStats()), firstValueFrom(client.http.queue())]);
  const running = queue.queue_running.length;
  const pending = queue.queue_pending.length;
  if (ctx.json) {
    ctx.out(`${JSON.stringify({ type: 'health', ok: true, url: client.url, system: stats.system, devices: stats.devices, queue: { running, pending } })}\n`);
    return ExitCode.ok;
  }
  const { system } = stats;
  const versions = [
    system.comfyui_version ? `ComfyUI ${system.comfyui_version}` : undefined,
    system.python_version ? `Python ${system.python_version.split(' ')[0]}` : undefined,
    system.pytorch_version ? `PyTorch ${system.pytorch_version}` : undefined,
    system.os,
  ].filter(Boolean);
  const lines = [`ComfyUI at ${client.url} is up`, `  ${versions.join(', ')}`];
  if (system.ram_total !== undefined) lines.push(`  RAM ${gb(system.ram_free)} free of ${gb(system.ram_total)}`);
  for (const device of stats.devices) lines.push(`  device ${device.name} (${device.type}): VRAM ${gb(device.vram_free)} free of ${gb(device.vram_total)}`);
  lines.push(`  queue: ${running} running, ${pending} pending`);
  ctx.out(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}
