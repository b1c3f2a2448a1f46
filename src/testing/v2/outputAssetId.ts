import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where a job's output lives on the native side: job id, file name, subfolder, folder type. */
export interface OutputLocation {
  readonly j: string;
  readonly f: string;
  readonly s: string;
  readonly t: string;
}

/**
 * The proxy's stateless output asset ids: `base64url(json).base64url(hmac)`, where the JSON is
 * Python's `json.dumps` of `{"j", "f", "s", "t"}` (as in the recordings) and the HMAC is keyed per
 * process. A forged or altered id does not verify.
 */
export class OutputAssetIds {
  private readonly key = randomBytes(32);

  sign(location: OutputLocation): string {
    const json = `{"j": ${JSON.stringify(location.j)}, "f": ${JSON.stringify(location.f)}, "s": ${JSON.stringify(location.s)}, "t": ${JSON.stringify(location.t)}}`;
    const payload = Buffer.from(json, 'utf8').toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The location an id names, or `undefined` for anything that is not a valid signed id. */
  verify(id: string): OutputLocation | undefined {
    const dot = id.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = id.slice(0, dot);
    const given = Buffer.from(id.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<OutputLocation>;
      if (typeof value.j !== 'string' || typeof value.f !== 'string' || typeof value.s !== 'string' || typeof value.t !== 'string') return undefined;
      return { j: value.j, f: value.f, s: value.s, t: value.t };
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
