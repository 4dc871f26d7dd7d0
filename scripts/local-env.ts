/**
 * Environment for running wrangler on this machine with no network: no
 * telemetry and no download of the request `cf` object, which local runs fill
 * with a fixed stand-in.
 */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  // wrangler asks before applying migrations unless it is told it runs unattended
  CI: "true",
} as const;
