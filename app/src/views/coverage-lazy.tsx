/**
 * The Coverage & risk view, loaded when first opened: it brings the config
 * schemas (full zod) and the OpenAPI reader with its YAML parser, which no
 * other view needs, so the shell every cold open loads stays as small as
 * before. The service worker precaches the chunk, so it opens offline too.
 */
import { lazy, Suspense, type JSX } from "solid-js";
import type { ViewProps } from "./view-context.ts";

// chaos-zod first: zod's settings must be in place before the config schemas are built
const View = lazy(() =>
  import("./chaos-zod.ts")
    .then(() => import("./coverage-view.tsx"))
    .then((m) => ({ default: m.CoverageView })),
);

export function CoverageView(props: ViewProps): JSX.Element {
  return (
    <Suspense
      fallback={
        <p class="panel-placeholder" role="status">
          Loading…
        </p>
      }
    >
      <View {...props} />
    </Suspense>
  );
}
