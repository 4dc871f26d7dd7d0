// Bindings only tests have: the migrations vitest.config.ts reads from disk.
// GlobalProps types `exports.default` as the Worker's own default export.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import("../../worker/index.ts");
  }
}
