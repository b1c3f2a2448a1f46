import { ObjectInfoIndex } from '../../workflow/objectInfoIndex';
import { diffusionNodes } from './diffusionNodes';
import { EmptyImage, ImageInvert, LoadImage, LoadImageOutput, PreviewImage, SaveImage, SaveImageWebsocket } from './imageNodes';
import type { ModelFolders } from './modelFiles';
import type { FullNodeDefinition, NodeBehaviour, ValidationEnv } from './nodeTypes';
import { FailAlways, SlowProgress, Stall } from './testNodes';
import { videoNodes } from './videoNodes';

/** The node classes a fake server "has installed". */
export class NodeCatalog {
  private readonly nodes: ReadonlyMap<string, NodeBehaviour>;
  /** The last index built, with the state of the entries computed per request it was built from. */
  private indexed?: { readonly key: string; readonly index: ObjectInfoIndex };

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
      LoadImageOutput,
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

  /**
   * The index of {@link objectInfo}, as validation reads it: what the fake serves is what it
   * validates against. Rebuilt only when the input files (LoadImage's combo) changed.
   */
  objectInfoIndex(env: ValidationEnv): ObjectInfoIndex {
    const key = env.files.inputImages().join('\0');
    if (this.indexed?.key !== key) this.indexed = { key, index: ObjectInfoIndex.from(this.objectInfo(env)) };
    return this.indexed.index;
  }
}
