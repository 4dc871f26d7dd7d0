// Setup file: brings the test D1 to the current schema. Safe to run many times:
// applyD1Migrations skips migrations already applied.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
