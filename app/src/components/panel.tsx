/**
 * The frame of every panel: a title, an export menu, and one of its states
 * (loading, error, empty, or the content). Views decide the state; the panel
 * only says it in the same words everywhere.
 */
import { Match, Show, Switch, type JSX } from "solid-js";
import type { ExportTable } from "../panels/export-table.ts";
import { ExportMenu } from "./export-menu.tsx";

export type PanelState = "loading" | "error" | "empty" | "ready";

export interface PanelProps {
  title: string;
  /** One line under the title: what is counted, how. */
  description?: string;
  state: PanelState;
  error?: string | null;
  /** Shown when empty; defaults to a hint about the range and filters. */
  empty?: string;
  testId: string;
  workspace: string;
  table?: () => ExportTable | null;
  wide?: boolean;
  /** The panel's element, for a view that watches whether it is on screen (off-screen.ts). */
  ref?: (el: HTMLElement) => void;
  children: JSX.Element;
}

export function Panel(props: PanelProps): JSX.Element {
  const headingId = `${props.testId}-title`;
  return (
    <section ref={(el) => props.ref?.(el)} class="panel" classList={{ "panel-wide": props.wide }} aria-labelledby={headingId} data-testid={props.testId} aria-busy={props.state === "loading"}>
      <header class="panel-head">
        <div>
          <h2 id={headingId} class="panel-title">
            {props.title}
          </h2>
          <Show when={props.description}>
            <p class="panel-description">{props.description}</p>
          </Show>
        </div>
        <Show when={props.table && props.state === "ready"}>
          <ExportMenu name={props.testId.replace(/^panel-/, "")} workspace={props.workspace} table={props.table} testId={`export-${props.testId.replace(/^panel-/, "")}`} />
        </Show>
      </header>
      <Switch>
        <Match when={props.state === "loading"}>
          <div class="panel-placeholder" role="status">
            Loading…
          </div>
        </Match>
        <Match when={props.state === "error"}>
          <div class="panel-placeholder panel-error" role="alert">
            {props.error ?? "This panel could not be computed."}
          </div>
        </Match>
        <Match when={props.state === "empty"}>
          <div class="panel-placeholder">{props.empty ?? "Nothing in this range. Try a longer range or fewer filters."}</div>
        </Match>
        <Match when={props.state === "ready"}>{props.children}</Match>
      </Switch>
    </section>
  );
}
