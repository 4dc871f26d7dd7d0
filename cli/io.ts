/**
 * Everything the CLI touches outside itself, passed in rather than reached for,
 * so tests run commands in-process with a fake edge, a fake clock and no waits.
 */

/** Anything text can be written to: process.stdout, or a test's buffer. */
export interface Writer {
  write(text: string): unknown;
}

export interface Io {
  stdout: Writer;
  stderr: Writer;
  /** Read only when a command is given `-` as a file. */
  stdin: AsyncIterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
  /** Where `.dev.vars` is looked for and relative files are read from; defaults to process.cwd(). */
  cwd?: string;
  /** Waits between retries; tests pass one that records the delay and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of backoff jitter in [0, 1). */
  random?: () => number;
  /** Clock for `sent_at`, epoch ms. */
  now?: () => number;
}

/** An Io with every optional part filled in. */
export type FullIo = Required<Io>;

export function withDefaults(io: Io): FullIo {
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
    env: io.env,
    fetch: io.fetch ?? globalThis.fetch.bind(globalThis),
    cwd: io.cwd ?? process.cwd(),
    sleep: io.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
    random: io.random ?? Math.random,
    now: io.now ?? Date.now,
  };
}

/** Reads a whole stream into one buffer. */
export async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
