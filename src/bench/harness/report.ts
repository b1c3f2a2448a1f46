import { fixed } from './stats';

/** A target and whether the run met it (`value <= target`). */
export interface Verdict {
  readonly label: string;
  readonly value: number;
  readonly target: number;
  readonly unit: string;
  readonly met: boolean;
}

/** What one benchmark returns: its table, its verdicts, its checksum and raw numbers. */
export interface BenchResult {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly verdicts: readonly Verdict[];
  readonly notes: readonly string[];
  readonly checksum: number;
  /** Raw numbers by name (for tests and BENCHMARKS.md). */
  readonly data: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

/** A verdict for "at most `target`". */
export function atMost(label: string, value: number, target: number, unit = ''): Verdict {
  return { label, value, target, unit, met: value <= target };
}

/** Renders rows as an aligned text table (first column left-aligned, the others right-aligned). */
export function formatTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `ratio 1.12x <= 1.30x: met (by 0.18)` */
export function formatVerdict(verdict: Verdict): string {
  const unit = verdict.unit;
  const margin = Math.abs(verdict.target - verdict.value);
  return `${verdict.label}: ${fixed(verdict.value)}${unit} (target <= ${fixed(verdict.target)}${unit}) ${verdict.met ? `MET, ${fixed(margin)}${unit} to spare` : `MISSED by ${fixed(margin)}${unit}`}`;
}

/** The printed block of one benchmark. */
export function formatResult(result: BenchResult): string {
  return [
    `== ${result.title} (${fixed(result.elapsedMs / 1000, 1)} s, checksum ${result.checksum})`,
    formatTable(result.columns, result.rows),
    ...result.verdicts.map(formatVerdict),
    ...result.notes.map((note) => `  note: ${note}`),
  ].join('\n');
}
