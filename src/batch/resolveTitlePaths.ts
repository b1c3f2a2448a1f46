import { ComfyOptionsError } from '../errors';
import type { Workflow } from '../protocol/api';
import { findNodeByRef } from '../workflow/findNodeByRef';
import { formatInputPath, parseInputPath } from './inputPath';

type Paths = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * `paths` with nodes named by title made node ids: `'Positive Prompt.inputs.text'` becomes
 * `'6.inputs.text'` when node 6 is the one titled "Positive Prompt" (`_meta.title`). Ids are kept;
 * a path whose node is neither is left for the strategy's check to report.
 * @throws ComfyOptionsError when several nodes have that title (listing them).
 */
export function resolveTitlePaths<P extends Paths>(workflow: Workflow, paths: P): P {
  const resolve = (text: string, option: string): string => {
    const path = parseInputPath(text);
    if (!path) return text;
    const found = findNodeByRef(workflow, path.node);
    if (found.kind === 'ambiguous') {
      const ids = found.candidates.map((candidate) => `${candidate.id} (${workflow[candidate.id]?.class_type})`).join(', ');
      throw new ComfyOptionsError(`paths.${option}: ${found.candidates.length} nodes are titled ${JSON.stringify(path.node)}: ${ids}; use the node id`);
    }
    return found.kind === 'found' ? formatInputPath(found.id, path.input) : text;
  };
  const resolved: Record<string, string | readonly string[] | undefined> = {};
  for (const [key, value] of Object.entries(paths)) {
    resolved[key] = value === undefined ? undefined : typeof value === 'string' ? resolve(value, key) : value.map((text) => resolve(text, key));
  }
  return resolved as P;
}
