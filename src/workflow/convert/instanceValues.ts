import type { Definition, GraphNode } from './graph';
import { SUBGRAPH_INPUT_ID } from './graph';
import type { ValueSource } from './valueSource';

export interface InstanceValues {
  readonly promoted: ReadonlyMap<number, unknown>;
  readonly overrides: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** Where each value is: the instance's `widgets_values` slot (same keys as the maps above). */
  readonly promotedSources: ReadonlyMap<number, ValueSource>;
  readonly overrideSources: ReadonlyMap<string, ReadonlyMap<string, ValueSource>>;
}

/** Does interior node `nodeId`'s widget `widget` have a control companion (a legacy extra value slot)? */
export type HasCompanion = (nodeId: string, widget: string) => boolean;

const isValue = (value: unknown) => value !== undefined && value !== null;

/**
 * The values a subgraph instance gives its interior (docs/conversion.md §2.5, "Promoted values"):
 * - `properties.proxyWidgets` (late 2025): `widgets_values[i]` is the value of entry i, an interior
 *   widget (`[nodeId, name]`, `"N: name"` for one nested deeper) or a subgraph input (`["-1", name]`);
 *   `$$` previews and holes give nothing;
 * - otherwise (widget-copy and store eras): `widgets_values[i]` is the value of the i-th promoted
 *   input (an input whose interior link ends on a widget socket), skipping the legacy control slot
 *   after a promoted widget with a companion when the array is longer than the promoted inputs.
 */
export function instanceValues(host: GraphNode, definition: Definition, hasCompanion: HasCompanion): InstanceValues {
  const promoted = new Map<number, unknown>();
  const overrides = new Map<string, Map<string, unknown>>();
  const promotedSources = new Map<number, ValueSource>();
  const overrideSources = new Map<string, Map<string, ValueSource>>();
  const values = Array.isArray(host.widgetsValues) ? (host.widgetsValues as readonly unknown[]) : [];
  const proxies = host.properties['proxyWidgets'];
  if (Array.isArray(proxies)) {
    proxies.forEach((entry, i) => {
      if (!Array.isArray(entry) || entry.length < 2 || !isValue(values[i])) return;
      const [nodeId, rawName] = entry.map(String) as [string, string];
      if (rawName.startsWith('$$')) return;
      if (nodeId === '-1') {
        const k = definition.inputs.findIndex((input) => input.name === rawName);
        if (k >= 0) {
          promoted.set(k, values[i]);
          promotedSources.set(k, { node: host, slot: i });
        }
        return;
      }
      const nested = /^(\d+): (.+)$/.exec(rawName);
      const key = nested ? `${nodeId}:${nested[1]}` : nodeId;
      const name = nested ? nested[2]! : rawName;
      if (!overrides.has(key)) overrides.set(key, new Map());
      overrides.get(key)!.set(name, values[i]);
      if (!overrideSources.has(key)) overrideSources.set(key, new Map());
      overrideSources.get(key)!.set(name, { node: host, slot: i });
    });
    return { promoted, overrides, promotedSources, overrideSources };
  }
  const targets = definition.inputs.flatMap((input, k) => {
    for (const linkId of input.linkIds) {
      const link = definition.graph.links.get(linkId);
      if (!link || link.originId !== SUBGRAPH_INPUT_ID) continue;
      const target = definition.graph.nodes.get(link.targetId);
      const widget = (target?.inputs.find((slot) => slot.link === linkId) ?? target?.inputs[link.targetSlot])?.widget;
      if (target && widget !== undefined) return [{ k, nodeId: target.id, widget }];
    }
    return [];
  });
  const skipCompanions = values.length > targets.length;
  let cursor = 0;
  for (const target of targets) {
    if (cursor >= values.length) break;
    const slot = cursor;
    const value = values[cursor++];
    if (isValue(value)) {
      promoted.set(target.k, value);
      promotedSources.set(target.k, { node: host, slot });
    }
    if (skipCompanions && hasCompanion(target.nodeId, target.widget)) cursor++;
  }
  return { promoted, overrides, promotedSources, overrideSources };
}

/** The overrides (or their sources) of a nested instance `nodeId`: entries `nodeId:rest` become `rest`. */
export function nestedOverrides<T>(overrides: ReadonlyMap<string, ReadonlyMap<string, T>>, nodeId: string): Map<string, ReadonlyMap<string, T>> {
  const nested = new Map<string, ReadonlyMap<string, T>>();
  const prefix = `${nodeId}:`;
  for (const [key, values] of overrides) if (key.startsWith(prefix)) nested.set(key.slice(prefix.length), values);
  return nested;
}
