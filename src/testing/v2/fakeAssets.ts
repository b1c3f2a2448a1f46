import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import type { ContentHash } from '../../surfaces/v2/assets/contentHash';
import type { V2Asset } from '../../surfaces/v2/wire';

/** An uploaded asset: its bytes sit in ComfyUI's input folder under `filePath`. */
export interface StoredAsset {
  readonly id: string;
  readonly hash: ContentHash;
  readonly sizeBytes: number;
  readonly contentType: string;
  readonly filePath: string;
  readonly createdAt: string;
}

/** Where an asset's file lies inside the input folder. */
export function inputLocation(filePath: string): { subfolder: string; name: string } {
  const dir = posix.dirname(filePath);
  return { subfolder: dir === '.' ? '' : dir, name: posix.basename(filePath) };
}

/**
 * The proxy's uploaded assets: one per content hash (the same bytes again are a dedupe hit on the
 * same record), found by id or hash, deleted by id.
 */
export class FakeAssetStore {
  private readonly byId = new Map<string, StoredAsset>();
  private readonly byHash = new Map<string, StoredAsset>();

  get(id: string): StoredAsset | undefined {
    return this.byId.get(id);
  }

  withHash(hash: string): StoredAsset | undefined {
    return this.byHash.get(hash);
  }

  add(fields: Omit<StoredAsset, 'id' | 'createdAt'>): StoredAsset {
    const asset: StoredAsset = { ...fields, id: randomUUID(), createdAt: new Date().toISOString().replace('Z', '+00:00') };
    this.byId.set(asset.id, asset);
    this.byHash.set(asset.hash, asset);
    return asset;
  }

  delete(id: string): boolean {
    const asset = this.byId.get(id);
    if (!asset) return false;
    this.byId.delete(id);
    if (this.byHash.get(asset.hash) === asset) this.byHash.delete(asset.hash);
    return true;
  }

  /** The API's view of an asset; `url` is where its bytes are served. */
  view(asset: StoredAsset, url: string, createdNew?: boolean): V2Asset {
    return {
      id: asset.id,
      hash: asset.hash,
      size_bytes: asset.sizeBytes,
      content_type: asset.contentType,
      file_path: asset.filePath,
      created_at: asset.createdAt,
      url,
      url_expires_at: inOneDay(),
      ...(createdNew === undefined ? {} : { created_new: createdNew }),
    };
  }
}

/** Now + 24 h, as the proxy writes timestamps (`+00:00`). */
export function inOneDay(): string {
  return new Date(Date.now() + 86_400_000).toISOString().replace('Z', '+00:00');
}
