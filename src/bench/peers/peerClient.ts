import type { Workflow } from '../../protocol/api';

/** What one finished prompt of a peer client gives back. */
export interface PeerResult {
  readonly promptId: string;
  /** Output nodes (or output files) the peer reported: the bench's checksum. */
  readonly outputs: number;
}

/** Another ComfyUI client library, driven the way its README shows, behind one small interface. */
export interface PeerClient {
  /** Runs one API-format workflow to its end. */
  run(workflow: Workflow): Promise<PeerResult>;
  /** Closes its socket and stops its listeners. */
  close(): Promise<void>;
}

/** A peer library: its row name and how to connect it to a server. */
export interface PeerDefinition {
  readonly name: string;
  /** Connects to `url`; a peer with its own per-prompt timer sets it a little past `promptTimeoutMs` (the bench's bound). */
  open(url: string, promptTimeoutMs: number): Promise<PeerClient>;
}
