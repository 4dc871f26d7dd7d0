/**
 * Headers every response carries: security headers, and CORS for the origins
 * the app is served from (APP_ORIGINS). Tokens travel in the Authorization
 * header, never in cookies, so CORS only decides which pages may read replies.
 */

const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "Cross-Origin-Resource-Policy": "same-site",
  "Cache-Control": "no-store",
};

const CORS_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
const CORS_HEADERS = "Authorization, Content-Type, Content-Encoding, Idempotency-Key";

function allowedOrigin(request: Request, env: Env): string | undefined {
  const origin = request.headers.get("Origin");
  if (!origin) return undefined;
  const allowed = env.APP_ORIGINS.split(",").map((o) => o.trim());
  return allowed.includes(origin) ? origin : undefined;
}

/** Answers a CORS preflight, or returns undefined for any other request. */
export function preflight(request: Request, env: Env): Response | undefined {
  if (request.method !== "OPTIONS") return undefined;
  const origin = allowedOrigin(request, env);
  const headers = new Headers();
  if (origin) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Allow-Methods", CORS_METHODS);
    headers.set("Access-Control-Allow-Headers", CORS_HEADERS);
    headers.set("Access-Control-Max-Age", "86400");
  }
  return finish(new Response(null, { status: 204, headers }), request, env);
}

/** Adds security and CORS headers to a response on its way out. */
export function finish(response: Response, request: Request, env: Env): Response {
  // responses from fetch() or Response.json() may have immutable headers
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) out.headers.set(name, value);
  const origin = allowedOrigin(request, env);
  if (origin) {
    out.headers.set("Access-Control-Allow-Origin", origin);
    out.headers.set("Access-Control-Expose-Headers", "Retry-After");
  }
  out.headers.append("Vary", "Origin");
  return out;
}
