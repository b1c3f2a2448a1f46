/** pino's `warn` level: records at or above it are shown at once, even while bars draw. */
const WARN = 40;
/** Records held while bars draw; beyond this the oldest are dropped (and counted). */
const MAX_HELD = 1_000;

/**
 * Where the CLI's log lines go: stderr; while progress bars are drawn, warnings and errors go
 * through the bars' own `log()` (above them, a line never tears a bar apart) and lower levels are
 * held, then written below the bars once they stop. Writes are synchronous.
 */
export class LogSink {
  private divert: ((text: string) => void) | undefined;
  private held: string[] = [];
  private dropped = 0;

  constructor(private readonly out: (text: string) => void = (text) => process.stderr.write(text)) {}

  /** Writes one record; `level` is pino's number (30 info, 40 warn...); without one the line is shown at once. */
  write(text: string, level?: number): void {
    if (!this.divert) this.out(text);
    else if (level === undefined || level >= WARN) this.divert(text);
    else {
      this.held.push(text);
      if (this.held.length > MAX_HELD) {
        this.held.shift();
        this.dropped++;
      }
    }
  }

  /**
   * Sends warnings and errors to `target` and holds the rest until the returned function is
   * called, which writes what was held (in order) and ends the diversion.
   * @example const undivert = sink.divertTo((text) => bars.log(text)); ...; bars.stop(); undivert();
   */
  divertTo(target: (text: string) => void): () => void {
    this.divert = target;
    return () => {
      if (this.divert !== target) return;
      this.divert = undefined;
      const held = this.held;
      this.held = [];
      if (this.dropped > 0) this.out(`(${this.dropped} earlier log lines were dropped while the progress bars drew; --plain shows every line as it comes)\n`);
      this.dropped = 0;
      for (const text of held) this.out(text);
    };
  }
}
