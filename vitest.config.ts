// Two test projects: pure and CLI code in Node, the edge inside workerd with a real local D1.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// tests run with no network: no telemetry, no download of the request `cf` object
process.env["WRANGLER_SEND_METRICS"] = "false";
process.env["CLOUDFLARE_CF_FETCH_ENABLED"] = "false";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("worker/migrations");
  return {
    test: {
      projects: [
        { test: { name: "node", include: ["tests/shared/**/*.test.ts", "tests/cli/**/*.test.ts", "tests/app/**/*.test.ts"], environment: "node" } },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, TALLY_ADMIN_SECRET: "test-admin-secret-0123456789abcdef" },
              },
            }),
          ],
          test: { name: "worker", include: ["tests/worker/**/*.test.ts"], setupFiles: ["tests/worker/apply-migrations.ts"] },
        },
        // Chromium against wrangler dev serving the built app (npm test builds it first)
        { test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
      ],
    },
  };
});
