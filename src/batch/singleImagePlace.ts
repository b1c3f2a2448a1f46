import { ComfyOptionsError } from '../errors';
import type { Workflow } from '../protocol/api';
import { parseInputPath } from './inputPath';
import type { Locations, PathOverrides } from './strategy';

/**
 * The image strategies put each input into ONE Load node: several found (an image and a mask, two
 * references) is ambiguous unless `paths.image` says which.
 * @throws ComfyOptionsError listing the Load nodes found.
 */
export function singleImagePlace(strategy: string, workflow: Workflow, locations: Locations, overrides: PathOverrides = {}): Locations {
  if (overrides.image !== undefined || locations.image.length <= 1) return locations;
  const nodes = locations.image.map((path) => {
    const node = parseInputPath(path)?.node ?? path;
    return `${node} (${workflow[node]?.class_type})`;
  });
  throw new ComfyOptionsError(`${strategy}: the workflow has ${nodes.length} Load nodes (${nodes.join(', ')}); say which one takes the inputs with paths: { image: '<node id>.inputs.image' }`);
}
