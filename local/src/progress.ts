/** Progress on long runs: one overwritten line on a terminal, an occasional line otherwise. */
export class Progress {
  private last = 0;
  private shown = false;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Shows a status line at most once a second on a terminal (every 10 s in logs). */
  update(text: string): void {
    if (this.quiet) return;
    const now = Date.now();
    if (now - this.last < (this.tty ? 1000 : 10_000)) return;
    this.last = now;
    if (this.tty) {
      this.stream.write(`\r\x1b[K${text}`);
      this.shown = true;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** Prints a line that stays. */
  line(text: string): void {
    if (this.quiet) return;
    this.clear();
    this.stream.write(`${text}\n`);
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
export const formatMb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
