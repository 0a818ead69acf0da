/**
 * A streaming CSV file writer with backpressure, for files far larger than memory should hold. Lines
 * are written by the project's one CSV writer (shared/core/csv/write.ts); this only streams them.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { csvLine } from '#core/csv/write.js';

// Rows are gathered into a string and written in chunks of about this size: one write per row
// would cost a syscall-sized overhead a million times over.
const CHUNK_CHARS = 1 << 16;

/** Writes rows to one CSV file, holding at most one chunk in memory and waiting for the disk when it falls behind. */
export class CsvFileWriter {
  private buffer = '';
  private failure: Error | undefined;
  /** Data rows written so far (the header excluded). */
  rows = 0;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    // Kept so that an error between awaits is not an unhandled 'error' event; reported at the next flush.
    stream.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Opens (truncating) a file and writes its header line. */
  static open(path: string, header: readonly string[]): CsvFileWriter {
    const writer = new CsvFileWriter(path, createWriteStream(path, { flags: 'w' }));
    writer.buffer = `${csvLine(header)}\n`;
    return writer;
  }

  /** Appends a row of raw values (escaped here). Call `flushIfFull` now and then. */
  row(values: readonly string[]): void {
    this.buffer += `${csvLine(values)}\n`;
    this.rows++;
  }

  /** Appends a line that the caller has already escaped. */
  line(escaped: string): void {
    this.buffer += `${escaped}\n`;
    this.rows++;
  }

  /** True when enough is buffered to be worth a write. */
  get full(): boolean {
    return this.buffer.length >= CHUNK_CHARS;
  }

  /** Writes the buffer when it is full, waiting for 'drain' when the stream asks to. */
  async flushIfFull(): Promise<void> {
    if (this.full) await this.flush();
  }

  /** Writes the buffer, waiting for 'drain' when the stream's own buffer is over its high-water mark. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Writes what is left and waits until the file is closed. */
  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end(this.buffer);
    this.buffer = '';
    await finished(this.stream);
  }

  /** Closes the file after a failure elsewhere, without waiting for or reporting anything. */
  abort(): void {
    this.stream.destroy();
  }
}
