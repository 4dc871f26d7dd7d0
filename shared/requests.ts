/**
 * Schemas of the small admin request bodies: creating workspaces and tokens.
 */
import { z } from "zod";
import { TOKEN_KINDS } from "./wire.ts";
import { timestamp } from "./validate.ts";

/** `POST /api/v1/workspaces`. */
export const createWorkspaceRequest = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "names are limited to 100 characters").optional(),
  demo: z.boolean({ error: "must be true or false" }).optional(),
});

/** `POST /api/v1/workspaces/:id/tokens`. */
export const createTokenRequest = z.strictObject({
  kind: z.enum(TOKEN_KINDS, { error: (i) => (i.input === undefined ? "required" : `must be one of ${TOKEN_KINDS.join(", ")}`) }),
  label: z
    .string({ error: (i) => (i.input === undefined ? "required" : "must be a string") })
    .trim()
    .min(1, "must not be empty")
    .max(100, "labels are limited to 100 characters"),
  expires_at: timestamp.optional(),
});
