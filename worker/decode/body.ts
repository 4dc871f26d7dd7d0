/**
 * Reads a posted batch body: checks the content type, undoes gzip, and stops
 * reading as soon as the size limit is passed, before and after decompression,
 * so an oversized or zip-bomb body costs no more than the limit.
 */
import { LIMITS } from "../../shared/event.ts";
import type { BatchFormat } from "../../shared/batch.ts";
import { ApiError } from "../http/api-error.ts";

const FORMATS: Record<string, BatchFormat> = {
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
  "application/jsonl": "ndjson",
};

export interface BatchBody {
  text: string;
  format: BatchFormat;
}

function formatOf(request: Request): BatchFormat {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  const format = FORMATS[type];
  if (!format) {
    throw new ApiError(415, "unsupported_media_type", `Content-Type ${type ? `"${type}"` : "(none)"} is not accepted`, {
      accepted: Object.keys(FORMATS),
    });
  }
  return format;
}

function tooLarge(stage: string, limit: number = LIMITS.bodyBytes): ApiError {
  return new ApiError(413, "body_too_large", `body exceeds ${limit} bytes${stage ? ` ${stage}` : ""}`, { limit });
}

/** Reads a stream to its end, failing once more than `limit` bytes arrive. */
export async function readLimited(stream: ReadableStream<Uint8Array>, limit: number, stage: string): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(stage, limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function isGzip(request: Request, bytes: Uint8Array): boolean {
  const encoding = (request.headers.get("Content-Encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return true;
  if (encoding !== "identity") {
    throw new ApiError(415, "unsupported_encoding", `Content-Encoding "${encoding}" is not accepted; use gzip or none`);
  }
  // gzip magic bytes: a compressed file posted without its header
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  try {
    return await readLimited(stream, LIMITS.bodyBytes, "after decompression");
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, "invalid_gzip", "body is not valid gzip");
  }
}

/**
 * Any posted body as bytes: within the size limit before and after
 * decompression, gunzipped when it says so or starts like gzip. `what` names
 * the expected content in the empty-body error ("a batch of events").
 */
export async function readBodyBytes(request: Request, what: string): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > LIMITS.bodyBytes) throw tooLarge("");
  if (!request.body) throw new ApiError(400, "empty_body", `the body is empty; send ${what}`);
  const bytes = await readLimited(request.body, LIMITS.bodyBytes, "");
  if (bytes.byteLength === 0) throw new ApiError(400, "empty_body", `the body is empty; send ${what}`);
  return isGzip(request, bytes) ? gunzip(bytes) : bytes;
}

/** `bytes` as UTF-8 text; anything else is a 400. */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, "invalid_encoding", "body is not valid UTF-8");
  }
}

/** The body of an event batch as text, with the format its Content-Type names. */
export async function readBatchBody(request: Request): Promise<BatchBody> {
  const format = formatOf(request);
  return { text: utf8Text(await readBodyBytes(request, "a batch of events")), format };
}
