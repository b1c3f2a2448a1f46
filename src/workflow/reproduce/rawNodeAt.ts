import { isPlainObject } from '../../util/isPlainObject';

const GROUP_NODE = /^extra\.groupNodes\.(.+)\.nodes\.(\d+)$/;

/**
 * The node object at a converter path (`nodes.3`, `definitions.subgraphs.0.nodes.2`,
 * `extra.groupNodes.<name>.nodes.1`, the name possibly holding dots) in a raw UI workflow, or
 * undefined when nothing is there.
 * @example rawNodeAt(workflow, 'nodes.3')?.widgets_values
 */
export function rawNodeAt(workflow: unknown, path: string): Record<string, unknown> | undefined {
  const group = GROUP_NODE.exec(path);
  const segments = group ? ['extra', 'groupNodes', group[1]!, 'nodes', group[2]!] : path.split('.');
  let at: unknown = workflow;
  for (const segment of segments) {
    if (Array.isArray(at) && /^\d+$/.test(segment)) at = at[Number(segment)];
    else if (isPlainObject(at) && Object.prototype.hasOwnProperty.call(at, segment)) at = at[segment];
    else return undefined;
  }
  return isPlainObject(at) ? at : undefined;
}
