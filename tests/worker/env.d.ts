// Bindings only tests have: the migrations vitest.config.ts reads from disk.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
