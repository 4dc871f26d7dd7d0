/**
 * Bundle files in the browser: a picked File read back as lines (gunzipped
 * when it starts with the gzip magic, whatever its name), and text chunks
 * made into a gzip Blob for download. Both stream through the platform's
 * CompressionStream, so neither the file nor the bundle is ever one string.
 */
import { isGzip } from "../../../shared/bundle.ts";
import { LineSplitter } from "../../../shared/bundle-parse.ts";

/** The blob's lines in order, without newlines; a new pass each call. */
export function blobLines(blob: Blob): () => AsyncIterable<string> {
  return async function* () {
    const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
    let bytes: ReadableStream<BufferSource> = blob.stream();
    if (isGzip(head)) bytes = bytes.pipeThrough(new DecompressionStream("gzip"));
    const reader = bytes.pipeThrough(new TextDecoderStream("utf-8", { fatal: true })).getReader();
    const splitter = new LineSplitter();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield* splitter.push(value);
      }
    } catch (err) {
      throw new Error(isGzip(head) ? `the file's gzip data is damaged or it is not UTF-8 text (${message(err)})` : `the file is not UTF-8 text (${message(err)})`);
    } finally {
      reader.releaseLock();
    }
    yield* splitter.flush();
  };
}

/** Whether this browser can gzip in a stream; without it bundles are written uncompressed. */
export function canGzip(): boolean {
  return typeof CompressionStream === "function";
}

/** The chunks as one Blob, gzip-compressed when `gzip`; memory holds the (compressed) result only. */
export async function chunksToBlob(chunks: AsyncIterable<string>, gzip: boolean): Promise<Blob> {
  const iterator = chunks[Symbol.asyncIterator]();
  const text = new ReadableStream<string>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  const encoded = text.pipeThrough(new TextEncoderStream());
  const bytes = gzip ? encoded.pipeThrough(new CompressionStream("gzip")) : encoded;
  return new Response(bytes).blob();
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
