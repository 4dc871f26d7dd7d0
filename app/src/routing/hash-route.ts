/**
 * Routes live in the location hash, so the static host serves one index.html
 * for every route and the service worker needs no server routing:
 *
 *   #/                                 known workspaces
 *   #/w/<id>?key=<read token>          a share link: remembered, then replaced
 *   #/w/<id>/<view>?<filters>          a view; filters per filter-state.ts
 */

/** The views of a workspace, in the order of its tabs (DESIGN.md, Views). */
export const VIEWS = ["overview", "traffic", "coverage", "product", "jobs", "chaos"] as const;
export type ViewName = (typeof VIEWS)[number];

export type Route =
  | { kind: "home" }
  | { kind: "share"; workspace: string; key: string; view: ViewName; params: URLSearchParams }
  | { kind: "view"; workspace: string; view: ViewName; params: URLSearchParams }
  | { kind: "not-found"; path: string };

function isView(name: string): name is ViewName {
  return (VIEWS as readonly string[]).includes(name);
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** Parses `location.hash` (with or without the leading `#`). */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.length === 0) return { kind: "home" };
  if (parts[0] !== "w" || parts.length < 2 || parts.length > 3) return { kind: "not-found", path };
  const workspace = decode(parts[1]!);
  const viewPart = parts[2] ?? "overview";
  if (workspace === null || workspace === "" || !isView(viewPart)) return { kind: "not-found", path };
  const key = params.get("key");
  if (key !== null) {
    params.delete("key");
    return { kind: "share", workspace, key, view: viewPart, params };
  }
  return { kind: "view", workspace, view: viewPart, params };
}

/** The hash of a workspace view; `params` are filter state (never a key). */
export function viewHash(workspace: string, view: ViewName, params?: URLSearchParams): string {
  const query = params?.toString() ?? "";
  return `#/w/${encodeURIComponent(workspace)}/${view}${query === "" ? "" : `?${query}`}`;
}

export const HOME_HASH = "#/";
