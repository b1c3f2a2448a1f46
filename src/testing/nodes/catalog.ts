import { diffusionNodes } from './diffusionNodes';
import { EmptyImage, ImageInvert, LoadImage, PreviewImage, SaveImage, SaveImageWebsocket } from './imageNodes';
import type { ModelFolders } from './modelFiles';
import type { FullNodeDefinition, NodeBehaviour, ValidationEnv } from './nodeTypes';
import { FailAlways, SlowProgress, Stall } from './testNodes';
import { videoNodes } from './videoNodes';

/** The node classes a fake server "has installed". */
export class NodeCatalog {
  private readonly nodes: ReadonlyMap<string, NodeBehaviour>;

  /**
   * @param models Model files offered by the loaders' combos.
   * @param exclude Class types removed (the server "does not have those nodes").
   */
  constructor(models: ModelFolders, exclude: readonly string[] = []) {
    const all: Record<string, NodeBehaviour> = {
      EmptyImage,
      ImageInvert,
      SaveImage,
      PreviewImage,
      LoadImage,
      SaveImageWebsocket,
      SlowProgress,
      FailAlways,
      Stall,
      ...diffusionNodes(models),
      ...videoNodes(models),
    };
    const excluded = new Set(exclude);
    this.nodes = new Map(Object.entries(all).filter(([name]) => !excluded.has(name)));
  }

  get(classType: string): NodeBehaviour | undefined {
    return this.nodes.get(classType);
  }

  /** Class names, in registration order. */
  names(): string[] {
    return [...this.nodes.keys()];
  }

  /** The `object_info` entry of one class (computed entries such as LoadImage's file list included). */
  describe(classType: string, env: ValidationEnv): FullNodeDefinition | undefined {
    const node = this.nodes.get(classType);
    return node ? (node.describe?.(env) ?? node.definition) : undefined;
  }

  /** `GET /object_info` */
  objectInfo(env: ValidationEnv): Record<string, FullNodeDefinition> {
    const info: Record<string, FullNodeDefinition> = {};
    for (const name of this.nodes.keys()) info[name] = this.describe(name, env) as FullNodeDefinition;
    return info;
  }
}
