/**
 * "Nothing here" with a reason and a way out, e.g. "No events in this
 * range" with buttons to widen the range or clear the filters.
 */
import { Show, type JSX } from "solid-js";

export interface EmptyStateProps {
  title: string;
  hint: string;
  testId?: string;
  children?: JSX.Element;
}

export function EmptyState(props: EmptyStateProps): JSX.Element {
  return (
    <div class="empty-state" data-testid={props.testId ?? "empty-state"}>
      <p class="empty-title">{props.title}</p>
      <p class="empty-hint">{props.hint}</p>
      <Show when={props.children}>
        <div class="empty-actions">{props.children}</div>
      </Show>
    </div>
  );
}
