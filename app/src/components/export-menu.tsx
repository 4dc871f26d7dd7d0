/**
 * Export of what a panel shows, as CSV (RFC 4180, injection-safe, through
 * shared/csv.ts) or JSON, and optionally of the raw events the filters
 * select (computed by the aggregation worker). A <details> menu: keyboard
 * and screen reader friendly with no script of its own.
 */
import { createSignal, onCleanup, onMount, Show, type JSX } from "solid-js";
import { toCsv } from "../../../shared/csv.ts";
import type { ExportTable } from "../panels/export-table.ts";
import { download, exportName } from "./download.ts";

export interface ExportMenuProps {
  /** Base of the file name, e.g. "top-endpoints". */
  name: string;
  workspace: string;
  /** The panel's data; absent for a menu of raw events only. */
  table?: () => ExportTable | null;
  /** Raw events of the current filters, as CSV or JSON text. */
  events?: (format: "csv" | "json") => Promise<string>;
  testId: string;
  label?: string;
  /** What the table is, in the menu: "This panel" unless told. */
  tableLabel?: string;
}

// NaN (an undefined measure) is no number in JSON or CSV: write it as empty/null
function clean(cell: string | number | null): string | number | null {
  return typeof cell === "number" && !Number.isFinite(cell) ? null : cell;
}

function asJson(table: ExportTable): string {
  const rows = table.rows.map((row) => Object.fromEntries(table.header.map((h, i) => [h, clean(row[i] ?? null)])));
  return JSON.stringify(rows, null, 2);
}

export function ExportMenu(props: ExportMenuProps): JSX.Element {
  let details!: HTMLDetailsElement;
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const close = () => details.removeAttribute("open");

  // a menu closes when the person clicks elsewhere or presses Escape, as menus do
  onMount(() => {
    const onClick = (e: MouseEvent) => {
      if (details.open && !details.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && details.open) {
        close();
        details.querySelector("summary")?.focus();
      }
    };
    document.addEventListener("click", onClick);
    details.addEventListener("keydown", onKey);
    onCleanup(() => document.removeEventListener("click", onClick));
  });

  const exportTable = (format: "csv" | "json") => {
    const table = props.table?.();
    if (!table) return;
    const name = exportName(props.workspace, props.name, format, Date.now());
    if (format === "csv") download(toCsv(table.header, table.rows.map((r) => r.map(clean))), name, "text/csv");
    else download(asJson(table), name, "application/json");
    close();
  };

  const exportEvents = async (format: "csv" | "json") => {
    if (!props.events) return;
    setBusy(true);
    setError(null);
    try {
      const text = await props.events(format);
      download(text, exportName(props.workspace, `${props.name}-events`, format, Date.now()), format === "csv" ? "text/csv" : "application/json");
      close();
    } catch (err) {
      setError(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="export-menu" ref={details} data-testid={props.testId}>
      <summary class="button button-small">{props.label ?? "Export"}</summary>
      <div class="export-items">
        <Show when={props.table}>
          <button type="button" class="menu-item" onClick={() => exportTable("csv")} data-testid={`${props.testId}-csv`}>
            {props.tableLabel ?? "This panel"} as CSV
          </button>
          <button type="button" class="menu-item" onClick={() => exportTable("json")} data-testid={`${props.testId}-json`}>
            {props.tableLabel ?? "This panel"} as JSON
          </button>
        </Show>
        <Show when={props.events}>
          <button type="button" class="menu-item" disabled={busy()} onClick={() => void exportEvents("csv")} data-testid={`${props.testId}-events-csv`}>
            Filtered events as CSV
          </button>
          <button type="button" class="menu-item" disabled={busy()} onClick={() => void exportEvents("json")} data-testid={`${props.testId}-events-json`}>
            Filtered events as JSON
          </button>
        </Show>
        <Show when={error()}>
          <p class="menu-error" role="alert">
            {error()}
          </p>
        </Show>
      </div>
    </details>
  );
}
