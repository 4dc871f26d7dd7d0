/**
 * The Chaos & alerts view, loaded when first opened: it brings the alert
 * rule schema (full zod, ~40 kB gzipped) for validating rules in the form,
 * which no other view needs, so the shell every cold open loads stays as
 * small as before. The service worker precaches the chunk, so it opens
 * offline too.
 */
import { lazy, Suspense, type JSX } from "solid-js";
import type { ViewProps } from "./view-context.ts";

// chaos-zod first: zod's settings must be in place before the view's modules build their schemas
const View = lazy(() =>
  import("./chaos-zod.ts")
    .then(() => import("./chaos-view.tsx"))
    .then((m) => ({ default: m.ChaosView })),
);

export function ChaosView(props: ViewProps): JSX.Element {
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
