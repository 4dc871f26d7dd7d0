/**
 * Small JSON request bodies (admin calls), validated against a schema; every
 * failure names what was wrong and where.
 */
import type { z } from "zod";
import { fromSchema } from "../../shared/validate.ts";
import { ApiError } from "../http/api-error.ts";
import { readLimited, utf8Text } from "./body.ts";

/** Enough for any admin call but a config write. */
const DEFAULT_MAX_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON body of at most `maxBytes` (read no further
 * than that); an absent body is validated as `{}`.
 */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes = DEFAULT_MAX_BYTES): Promise<T> {
  const tooLarge = () => new ApiError(413, "body_too_large", `body exceeds ${maxBytes} bytes`, { limit: maxBytes });
  if (Number(request.headers.get("Content-Length") ?? "0") > maxBytes) throw tooLarge();
  const text = request.body ? utf8Text(await readLimited(request.body, maxBytes, "")) : "";
  let body: unknown = {};
  if (text.trim() !== "") {
    const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw new ApiError(415, "unsupported_media_type", `Content-Type must be application/json, not ${type ? `"${type}"` : "(none)"}`);
    }
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, "invalid_json", `body is not valid JSON: ${(e as Error).message}`);
    }
  }
  const checked = fromSchema(schema.safeParse(body));
  if (!checked.ok) throw new ApiError(400, "invalid_body", "the request body is invalid", { issues: checked.issues });
  return checked.value;
}
