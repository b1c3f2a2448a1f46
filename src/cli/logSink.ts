/**
 * Where the CLI's log lines go: stderr, or, while progress bars are drawn, through the bars'
 * own `log()` so a line never tears a bar apart. Writes are synchronous.
 */
export class LogSink {
  private divert: ((text: string) => void) | undefined;

  constructor(private readonly out: (text: string) => void = (text) => process.stderr.write(text)) {}

  write(text: string): void {
    (this.divert ?? this.out)(text);
  }

  /** Sends lines to `target` until the returned function is called. */
  divertTo(target: (text: string) => void): () => void {
    this.divert = target;
    return () => {
      if (this.divert === target) this.divert = undefined;
    };
  }
}
