/**
 * One view's group of cards on the Overview: a heading, a link to the view
 * (keeping the filters), the error if its cards could not be computed, and
 * an empty line when the workspace has nothing of that kind in range.
 */
import { Show, type JSX } from "solid-js";

export interface OverviewSectionProps {
  /** Names the section: `overview-<id>` for its heading and test id. */
  id: string;
  title: string;
  href: string;
  linkText: string;
  linkTestId: string;
  error: string | null;
  empty: boolean;
  emptyText: string;
  children: JSX.Element;
}

export function OverviewSection(props: OverviewSectionProps): JSX.Element {
  const heading = `overview-${props.id}`;
  return (
    <section class="section" aria-labelledby={heading} data-testid={heading}>
      <div class="section-head">
        <h2 id={heading} class="section-title">
          {props.title}
        </h2>
        <a class="link" href={props.href} data-testid={props.linkTestId}>
          {props.linkText}
        </a>
      </div>
      <Show when={props.error}>
        <p class="notice notice-bad" role="alert">
          Could not compute the {props.title} cards: {props.error}
        </p>
      </Show>
      <Show
        when={!props.empty}
        fallback={
          <p class="panel-placeholder" data-testid={`${heading}-empty`}>
            {props.emptyText}
          </p>
        }
      >
        {props.children}
      </Show>
    </section>
  );
}
