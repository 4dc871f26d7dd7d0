/** An address Tally has no page for (a mistyped or truncated link). */
import type { JSX } from "solid-js";
import { EmptyState } from "../components/empty-state.tsx";
import { HOME_HASH } from "../routing/hash-route.ts";

export function NotFoundView(props: { path: string }): JSX.Element {
  return (
    <main class="page">
      <EmptyState testId="not-found" title="No such page" hint={`Tally has no page at "${props.path}". The link may be cut short.`}>
        <a class="button" href={HOME_HASH}>
          All workspaces
        </a>
      </EmptyState>
    </main>
  );
}
