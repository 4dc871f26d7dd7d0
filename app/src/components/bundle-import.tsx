/**
 * "Import a bundle": a file picker for a workspace bundle (from `tally bundle
 * export` or another browser's "Export workspace"). The file is checked whole
 * first; a bad one is refused with its problems by line and field and nothing
 * is stored. A good one becomes (or adds to) the local copy `bundle-<id>`,
 * which is never synced; importing it again adds only events not stored yet.
 */
import { createSignal, For, Show, type JSX } from "solid-js";
import type { ImportOutcome, ImportProgress } from "../store/bundle-import.ts";
import { viewHash } from "../routing/hash-route.ts";
import { useServices } from "../views/services.tsx";
import { formatInteger } from "./format.ts";
import "../styles/bundle.css";

export interface BundleImportProps {
  /** After a bundle was stored: the workspace list should show it. */
  onImported(): void;
}

function progressText(p: ImportProgress | null): string {
  if (p === null) return "Reading the file…";
  if (p.phase === "checking") return `Checking… ${formatInteger(p.lines)} lines`;
  return `Storing… ${formatInteger(p.done)} of ${formatInteger(p.total)} events`;
}

// module-level, not per picker: a picker mounted again while an import runs (leaving the page and
// coming back) still shows it running and does not start a second one
const [busy, setBusy] = createSignal(false);
const [progress, setProgress] = createSignal<ImportProgress | null>(null);

export function BundleImport(props: BundleImportProps): JSX.Element {
  const services = useServices();
  // issues come formatted: the bundle parser and its schemas load with the import, not with the home page
  const [outcome, setOutcome] = createSignal<{ file: string; result: ImportOutcome; issues: string[] } | null>(null);
  const [failure, setFailure] = createSignal<string | null>(null);
  let input!: HTMLInputElement;

  const choose = async (file: File | undefined) => {
    if (!file || busy()) return;
    setBusy(true);
    setProgress(null);
    setOutcome(null);
    setFailure(null);
    try {
      const result = await services.bundles.importFile(file, setProgress);
      const [{ formatBundleIssue }, { keepImportedConfig }] = await Promise.all([import("../../../shared/bundle-parse.ts"), import("./bundle-config.ts")]);
      if (result.ok) keepImportedConfig(result.workspace.id, result.workspace.imported?.config ?? {}, Date.now());
      setOutcome({ file: file.name, result, issues: (result.ok ? result.warnings : result.issues).map(formatBundleIssue) });
      if (result.ok) props.onImported();
    } catch (err) {
      setFailure(`${file.name} could not be imported: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
      if (input) input.value = "";
    }
  };

  return (
    <section class="section bundle-import" aria-labelledby="bundle-import-title">
      <h2 id="bundle-import-title" class="section-title">
        Import a bundle
      </h2>
      <p>
        A bundle is a whole workspace in one file, from <code>tally bundle export</code> or a workspace's "Export workspace" button. It becomes a copy in this browser, labelled imported,
        that is not synced; importing it again adds only the events it does not have yet.
      </p>
      <label class="bundle-picker">
        <span>Bundle file (.ndjson or .ndjson.gz)</span>
        <input ref={input} type="file" accept=".ndjson,.gz,.jsonl,application/x-ndjson,application/gzip" disabled={busy()} onChange={(e) => void choose(e.currentTarget.files?.[0])} data-testid="bundle-file" />
      </label>
      {/* always mounted, only its text changes: a live region added with its text is often not announced */}
      <p class="bundle-progress" role="status" data-testid="bundle-import-progress">
        {busy() ? progressText(progress()) : ""}
      </p>
      <Show when={failure()}>
        <p class="notice notice-bad" role="alert">
          {failure()}
        </p>
      </Show>
      <Show when={outcome()}>{(o) => <ImportResult file={o().file} result={o().result} issues={o().issues} />}</Show>
    </section>
  );
}

/** `issues`: the refused bundle's problems, or the accepted one's warnings, as text. */
function ImportResult(props: { file: string; result: ImportOutcome; issues: string[] }): JSX.Element {
  return (
    <Show
      when={props.result.ok ? props.result : null}
      fallback={
        <div class="notice notice-bad" role="alert" data-testid="bundle-import-problems">
          <p>{props.file} is not a valid bundle; nothing was stored:</p>
          <ul class="bundle-issues">
            <For each={props.result.ok ? [] : props.issues}>{(issue) => <li class="mono">{issue}</li>}</For>
          </ul>
          <Show when={!props.result.ok && props.result.more > 0}>
            <p>and {formatInteger(props.result.ok ? 0 : props.result.more)} more problems.</p>
          </Show>
        </div>
      }
    >
      {(r) => (
        <>
          <p class="notice" role="status" data-testid="bundle-import-done">
            Imported "{r().workspace.name}": {formatInteger(r().stored)} new events stored
            {r().already > 0 ? `, ${formatInteger(r().already)} already there` : ""}. <a href={viewHash(r().workspace.id, "overview")}>Open it</a>
          </p>
          <Show when={r().warnings.length > 0}>
            <div class="notice" data-testid="bundle-import-warnings">
              <p>Config keys left out (they no longer fit this version's schema):</p>
              <ul class="bundle-issues">
                <For each={props.issues}>{(w) => <li class="mono">{w}</li>}</For>
              </ul>
            </div>
          </Show>
        </>
      )}
    </Show>
  );
}
