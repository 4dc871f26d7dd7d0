/**
 * Bundle files on disk for `tally bundle`: read back as lines, gunzipped when
 * they start with the gzip magic, and written line by line, gzipped when the
 * name ends in .gz. Both stream, so a million-event bundle never sits in
 * memory, and writing waits for the disk (backpressure).
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import { isGzip } from "../../shared/bundle.ts";
import { LineSplitter } from "../../shared/bundle-parse.ts";
import type { Writer } from "../io.ts";

/** The file's lines in order, without newlines; throws a readable Error when the file cannot be read. */
export async function* readBundleLines(path: string): AsyncGenerator<string> {
  const head = Buffer.alloc(2);
  const handle = await open(path, "r");
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const file = createReadStream(path);
  let stream: Readable = file;
  if (isGzip(head)) {
    const gunzip = createGunzip();
    file.on("error", (e) => gunzip.destroy(e));
    stream = file.pipe(gunzip);
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const splitter = new LineSplitter();
  try {
    for await (const chunk of stream) {
      let text: string;
      try {
        text = decoder.decode(chunk as Uint8Array, { stream: true });
      } catch {
        throw new Error("not valid UTF-8 text");
      }
      yield* splitter.push(text);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR") throw new Error(`the gzip data is damaged: ${(e as Error).message}`);
    throw e;
  } finally {
    file.destroy();
  }
  yield* splitter.flush();
}

/** Where export writes lines: a file (gzipped for .gz names) or stdout. */
export interface LineSink {
  write(line: string): Promise<void>;
  /** Flushes and closes; the file is complete after this. */
  close(): Promise<void>;
  /** Removes the half-written file (only it), so a failed export leaves nothing that looks like a bundle. */
  abort(): Promise<void>;
}

export function stdoutSink(out: Writer): LineSink {
  return {
    write: async (line) => void out.write(`${line}\n`),
    close: async () => undefined,
    abort: async () => undefined,
  };
}

/**
 * Writes to `PATH.partial` beside PATH and renames it to PATH once complete:
 * a failed export removes only its .partial, so a good bundle already at PATH
 * survives it.
 */
export async function fileSink(path: string): Promise<LineSink> {
  const partial = `${path}.partial`;
  const file = createWriteStream(partial);
  await once(file, "open");
  const gzip = path.endsWith(".gz") ? createGzip() : null;
  if (gzip) gzip.pipe(file);
  const target: Writable = gzip ?? file;
  let failure: Error | null = null;
  const fail = (e: Error) => void (failure ??= e);
  file.on("error", fail);
  gzip?.on("error", fail);
  return {
    async write(line) {
      if (failure) throw failure;
      if (!target.write(`${line}\n`)) await drained(target, file);
      if (failure) throw failure;
    },
    async close() {
      target.end();
      await once(file, "close");
      if (failure) throw failure;
      await rename(partial, path);
    },
    async abort() {
      target.destroy();
      file.destroy();
      await rm(partial, { force: true });
    },
  };
}

// waits for room to write again, or for the file to fail (then `failure` says why)
function drained(target: Writable, file: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      target.off("drain", done);
      file.off("error", done);
      resolve();
    };
    target.on("drain", done);
    file.on("error", done);
  });
}
