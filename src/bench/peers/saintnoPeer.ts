import { setMaxListeners } from 'node:events';
import { CallWrapper, ComfyApi, type NodeData, PromptBuilder } from '@saintno/comfyui-sdk';
import type { PeerDefinition } from './peerClient';

/** The workload's output node (twoNodeImage's SaveImage). */
const OUTPUT_NODE = '2';

/**
 * @saintno/comfyui-sdk as its README uses it: `new ComfyApi(url).init()`, `waitForReady()`, then
 * per prompt a `PromptBuilder` naming the output node and `new CallWrapper(api, builder).run()`,
 * which POSTs and follows the prompt on the socket (and `/queue` + `/history` on each status).
 * `run()` resolves `false` or `undefined` when the SDK gives up; that is reported as a failure.
 * Its status handler keeps calling `/queue` and `/history` for prompts it still waits on, and an
 * error there is thrown from an event listener (fatal), so `close()` waits until every HTTP call
 * the SDK started has settled, while the fake still answers.
 */
export const SAINTNO: PeerDefinition = {
  name: '@saintno/comfyui-sdk CallWrapper',
  async open(url) {
    const api = new ComfyApi(url);
    setMaxListeners(0, api); // one listener per prompt in flight, by design; no leak warning
    const inFlight = new Set<Promise<unknown>>();
    const fetchApi = api.fetchApi.bind(api);
    api.fetchApi = (...args: Parameters<typeof fetchApi>) => {
      const call = fetchApi(...args);
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call)).catch(() => undefined);
      return call;
    };
    await api.init(1, 100).waitForReady();
    return {
      async run(workflow) {
        let promptId: string | undefined;
        // its NodeData type wants `_meta.title` on every node; the server needs none
        const builder = new PromptBuilder(workflow as NodeData, [], ['images']).setOutputNode('images', OUTPUT_NODE);
        const result = await new CallWrapper(api, builder).onPending((id) => (promptId = id)).run();
        if (!result || !promptId) throw new Error('@saintno/comfyui-sdk: the prompt failed (run() resolved false)');
        return { promptId, outputs: Object.keys(result).filter((key) => key !== '_raw').length };
      },
      async close() {
        api.destroy();
        while (inFlight.size) {
          await Promise.allSettled([...inFlight]);
          await new Promise((resolve) => setImmediate(resolve)); // let a handler start its next call
        }
      },
    };
  },
};
