import { createHash } from 'node:crypto';
import { type Observable, ReplaySubject, of, share, tap } from 'rxjs';
import { CONTENT_HASH_DIGITS, CONTENT_SUBFOLDER, PLACED_FILES_PER_SERVER } from './constants';
import type { InputContent } from './inputContent';
import type { InputSurface, PlaceRequest } from './inputSurface';
import type { UploadedFile } from './uploadedFile';

/** Where an input goes and how it is named (see `UploadOptions`). */
export interface Placement {
  /** Content-addressed names (default): `comfyui-rx/<hash>.<ext>`, looked up before sending, remembered per server. */
  readonly dedupe: boolean;
  /** Without dedupe: the stored name (default: the source's). */
  readonly name?: string;
  /** Default: `comfyui-rx` with dedupe, the input folder's root without. */
  readonly subfolder?: string;
  readonly type: 'input' | 'temp' | 'output';
  readonly overwrite: boolean;
  /** A mask for this image on the server. */
  readonly maskOf?: UploadedFile;
}

/** The content-addressed name of content: `<first 32 hex digits of its SHA-256><ext>` (a mask's: of its original and its bytes). */
export function contentName(content: InputContent, maskOf?: UploadedFile): string {
  if (!content.sha256) throw new TypeError('content-addressed names need hashed content');
  if (!maskOf) return `${content.sha256.slice(0, CONTENT_HASH_DIGITS)}${content.extension || '.bin'}`;
  const digest = createHash('sha256').update(`${maskOf.type}\0${maskOf.subfolder}\0${maskOf.name}\0${content.sha256}`).digest('hex');
  return `mask-${digest.slice(0, CONTENT_HASH_DIGITS)}.png`; // the server stores the composite as PNG
}

/**
 * One server's side of input files: places content through its {@link InputSurface} and, for
 * content-addressed placements, remembers what it placed (up to `PLACED_FILES_PER_SERVER`
 * files, the oldest forgotten first). The same content asked again answers from memory; asked
 * while its placement is in flight, it joins it (one `HEAD`, at most one upload). A failed or
 * abandoned placement starts over at the next ask.
 */
export class InputPlacer {
  private readonly placed = new Map<string, Observable<UploadedFile>>();

  constructor(readonly surface: InputSurface) {}

  /** Content-addressed placements this placer remembers (tests, diagnostics). */
  get rememberedCount(): number {
    return this.placed.size;
  }

  /** Forgets every placement (after the server lost its files: a restart with an emptied input folder). */
  forget(): void {
    this.placed.clear();
  }

  /** Places `content` as `placement` says; see the class comment for what is shared. */
  place(content: InputContent, placement: Placement): Observable<UploadedFile> {
    const request: PlaceRequest = placement.dedupe
      ? {
          content,
          name: contentName(content, placement.maskOf),
          subfolder: placement.subfolder ?? CONTENT_SUBFOLDER,
          type: placement.type,
          overwrite: false,
          contentAddressed: true,
          ...(placement.maskOf ? { maskOf: placement.maskOf } : {}),
        }
      : {
          content,
          name: placement.name ?? content.fileName,
          subfolder: placement.subfolder ?? '',
          type: placement.type,
          overwrite: placement.overwrite,
          contentAddressed: false,
          ...(placement.maskOf ? { maskOf: placement.maskOf } : {}),
        };
    if (!request.contentAddressed) return this.surface.place(request);
    const key = `${request.type}/${request.subfolder}/${request.name}`;
    const known = this.placed.get(key);
    if (known) return known;
    // shared by everyone asking for this file while it is in flight; once answered, the answer
    // replaces it. After an error, or when every asker left before the answer, the next
    // subscription starts over (HEAD, then the upload).
    const shared = this.surface.place(request).pipe(
      tap((stored) => this.placed.set(key, of(stored))),
      share({ connector: () => new ReplaySubject<UploadedFile>(1), resetOnError: true, resetOnComplete: false, resetOnRefCountZero: true }),
    );
    this.placed.set(key, shared);
    if (this.placed.size > PLACED_FILES_PER_SERVER) this.placed.delete(this.placed.keys().next().value as string);
    return shared;
  }
}
