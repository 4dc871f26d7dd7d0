/**
 * Admin and config calls from views to the edge (the sync loop has its own
 * path): the workspace's API base, one authorised request, and the two named
 * failures a view can word, offline or an error envelope.
 */
import type { KnownWorkspace } from "./api.ts";
import { isAbortError } from "../sync/errors.ts";
import { errorBody } from "../sync/responses.ts";

export type Fetch = typeof fetch;
export type EdgeWorkspace = Pick<KnownWorkspace, "id" | "apiBase" | "key">;

/** The edge could not be reached: offline, or the network failed. */
export class EdgeOfflineError extends Error {
  override name = "EdgeOfflineError";
}

/** The edge answered with an error envelope (or something that is not the API's shape). */
export class EdgeError extends Error {
  override name = "EdgeError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/** `…/api/v1/workspaces/<id>` on the workspace's edge. */
export function workspaceUrl(ws: EdgeWorkspace): string {
  return `${ws.apiBase.replace(/\/+$/, "")}/api/v1/workspaces/${encodeURIComponent(ws.id)}`;
}

/** One request with `token`; its JSON answer, or EdgeError / EdgeOfflineError (aborts pass through as they are). */
export async function callEdge(fetchFn: Fetch, url: string, token: string, init: RequestInit = {}): Promise<unknown> {
  // a copy imported from a bundle has no edge (its apiBase is empty): as unreachable as offline, so views show their kept copies
  if (url.startsWith("/")) throw new EdgeOfflineError("this workspace is a copy imported from a bundle: it has no edge");
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new EdgeOfflineError(`the edge could not be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = errorBody.safeParse(body);
    if (parsed.success) throw new EdgeError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
    throw new EdgeError(response.status, "http_error", `the edge answered ${response.status}`);
  }
  return body;
}
