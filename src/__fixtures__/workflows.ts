/** Small API-format workflows that run on FakeComfyServer (the nodes of the recorded traces). */
import type { Workflow } from '../protocol/api';

/** EmptyImage -> SaveImage; `color` makes each prompt unique (no cache hit), `prefix` names its file. */
export function tinyImage(prefix: string, color = 0): Workflow {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
  };
}

/** EmptyImage -> SlowProgress(steps, delayMs) -> SaveImage. */
export function slowImage(prefix: string, steps: number, delayMs: number, color = 0): Workflow {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
    '2': { class_type: 'SlowProgress', inputs: { image: ['1', 0], steps, delay_ms: delayMs } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

/** EmptyImage -> Stall(seconds) -> SaveImage: a node that sends nothing while it works. */
export function silentImage(prefix: string, seconds: number, color = 0): Workflow {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
    '2': { class_type: 'Stall', inputs: { image: ['1', 0], seconds, interruptible: true } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

/** EmptyImage -> FailAlways -> SaveImage */
export function failingImage(message: string, color = 0): Workflow {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
    '2': { class_type: 'FailAlways', inputs: { image: ['1', 0], message } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'fail' } },
  };
}

/** The file names a prompt's outputs list (all nodes, all kinds). */
export function fileNames(outputs: Readonly<Record<string, Record<string, unknown>>>): string[] {
  return Object.values(outputs).flatMap((output) =>
    Object.values(output).flatMap((list) => (Array.isArray(list) ? list.flatMap((f) => (typeof f === 'object' && f && 'filename' in f ? [String(f.filename)] : [])) : [])),
  );
}
