import { ComfyRxError } from '../errors';

/** One thing a strategy could not find in a workflow. */
export interface MissingLocation {
  /** The location key: `text`, `seed`, `width`... */
  readonly key: string;
  /** What it looked for, as people read it (`KSampler.seed`, `a sampler's positive input leading to CLIPTextEncode.text`). */
  readonly lookedFor: readonly string[];
  /** Why the search stopped where it did, when it got somewhere (`KSampler 3: positive leads to node 12 (Foo)...`). */
  readonly notes: readonly string[];
}

/**
 * A strategy cannot tell where the description, the seed or a setting goes in a workflow. The
 * message lists what it looked for and what the workflow has, and how to give the path explicitly.
 */
export class ComfyLocateError extends ComfyRxError {
  readonly code = 'COMFYRX_LOCATE';
  constructor(
    readonly strategy: string,
    readonly missing: readonly MissingLocation[],
    /** The workflow's nodes as `id: class_type`. */
    readonly graph: readonly string[],
  ) {
    super(describe(strategy, missing, graph));
    this.name = 'ComfyLocateError';
  }
}

function describe(strategy: string, missing: readonly MissingLocation[], graph: readonly string[]): string {
  const lines = [`${strategy} cannot find where to put ${missing.map((m) => m.key).join(', ')} in this workflow.`];
  for (const m of missing) {
    lines.push(`  ${m.key}: looked for ${m.lookedFor.join(', ')}`);
    for (const note of m.notes) lines.push(`    ${note}`);
  }
  lines.push(`  The workflow has: ${graph.join(', ') || 'no nodes'}.`);
  const example = missing[0]?.key === 'seed' ? "'3.inputs.seed'" : missing[0]?.key === 'text' ? "'6.inputs.text'" : "'<node id>.inputs.<input>'";
  lines.push(`  Give the path explicitly, e.g. paths: { ${missing[0]?.key ?? 'text'}: ${example} }.`);
  return lines.join('\n');
}
