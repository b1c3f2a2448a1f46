import type { ComfyMessage } from '../../src/protocol/messages';
import type { HistoryEntry, QueueResponse } from '../../src/protocol/api';

/** Message factories shaped like the recorded ComfyUI 0.8.0 frames. */
export const msg = {
  status: (remaining: number, sid?: string): ComfyMessage => ({ type: 'status', data: { status: { exec_info: { queue_remaining: remaining } }, ...(sid ? { sid } : {}) } }),
  start: (prompt_id: string): ComfyMessage => ({ type: 'execution_start', data: { prompt_id, timestamp: 1 } }),
  cached: (prompt_id: string, nodes: string[] = []): ComfyMessage => ({ type: 'execution_cached', data: { prompt_id, nodes, timestamp: 1 } }),
  executing: (prompt_id: string | undefined, node: string | null): ComfyMessage => ({
    type: 'executing',
    data: prompt_id === undefined ? { node } : { node, prompt_id, ...(node ? { display_node: node } : {}) },
  }),
  progress: (prompt_id: string, node: string, value: number, max: number): ComfyMessage => ({ type: 'progress', data: { prompt_id, node, value, max } }),
  executed: (prompt_id: string, node: string, filename: string): ComfyMessage => ({
    type: 'executed',
    data: { prompt_id, node, display_node: node, output: { images: [{ filename, subfolder: '', type: 'output' }] } },
  }),
  success: (prompt_id: string): ComfyMessage => ({ type: 'execution_success', data: { prompt_id, timestamp: 2 } }),
  error: (prompt_id: string, node_id = '2', exception_type = 'RuntimeError'): ComfyMessage => ({
    type: 'execution_error',
    data: {
      prompt_id,
      node_id,
      node_type: 'FailAlways',
      executed: ['1'],
      exception_message: 'boom\n',
      exception_type,
      traceback: ['  File "x.py", line 1\n'],
      timestamp: 3,
    },
  }),
  interrupted: (prompt_id: string, node_id = '2'): ComfyMessage => ({
    type: 'execution_interrupted',
    data: { prompt_id, node_id, node_type: 'SlowProgress', executed: ['1'], timestamp: 3 },
  }),
  preview: (prompt_id?: string, node_id = '3'): ComfyMessage => ({
    type: 'preview_image',
    data: {
      mime: 'image/jpeg',
      image: Buffer.from([0xff, 0xd8]),
      ...(prompt_id ? { metadata: { node_id, prompt_id, display_node_id: node_id, parent_node_id: null, real_node_id: node_id, image_type: 'image/jpeg' } } : {}),
    },
  }),
};

export const historyEntry = (promptId: string, filename = 'ComfyUI_00001_.png'): HistoryEntry => ({
  prompt: [0, promptId, {}, {}, ['9']],
  outputs: { '9': { images: [{ filename, subfolder: '', type: 'output' }] } },
  status: { status_str: 'success', completed: true, messages: [['execution_start', { prompt_id: promptId, timestamp: 1 }]] },
});

export const erroredEntry = (promptId: string): HistoryEntry => ({
  prompt: [0, promptId, {}, {}, ['9']],
  outputs: {},
  status: {
    status_str: 'error',
    completed: false,
    messages: [
      [
        'execution_error',
        { prompt_id: promptId, node_id: '2', node_type: 'FailAlways', executed: [], exception_message: 'boom\n', exception_type: 'RuntimeError', traceback: [] },
      ],
    ],
  },
});

export const queueWith = (running: string[], pending: Array<[number, string]> = []): QueueResponse => ({
  queue_running: running.map((id, i) => [i, id]),
  queue_pending: pending,
});
