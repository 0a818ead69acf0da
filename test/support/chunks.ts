/** Byte sources for the decoder and ingest tests: a buffer cut into chunks of a chosen size. */
export async function* chunksOf(bytes: Uint8Array | string, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
  if (buf.length === 0) return;
}

/** Decodes a whole buffer with the streaming decoder, fed `size` bytes at a time. */
export function decodeAll(decoder: { write(b: Uint8Array): string; end(): string }, bytes: Uint8Array, size: number) {
  let text = '';
  for (let i = 0; i < bytes.length; i += size) text += decoder.write(bytes.subarray(i, i + size));
  return text + decoder.end();
}
