/**
 * A view whose code loads when it is first opened, behind a "Loading…"
 * placeholder. Views that bring heavy modules of their own (full zod for
 * config schemas, a YAML parser) use it, so the shell every cold open loads
 * stays small; the service worker precaches their chunks, so they open
 * offline too.
 */
import { lazy, Suspense, type Component, type JSX } from "solid-js";
import type { ViewProps } from "./view-context.ts";

/** `load` imports the view's module; zod's settings (chaos-zod.ts) are in place before it runs. */
export function lazyView(load: () => Promise<Component<ViewProps>>): Component<ViewProps> {
  // chaos-zod first: zod's settings must be in place before the view's modules build their schemas
  const View = lazy(() =>
    import("./chaos-zod.ts")
      .then(load)
      .then((view) => ({ default: view })),
  );
  return (props: ViewProps): JSX.Element => (
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
