/**
 * "Export workspace": the whole stored workspace, events and config, as one
 * bundle file (shared/bundle.ts) built in this browser, offline too, and
 * saved as a download. Events are read segment by segment from the store and
 * streamed through gzip, so even a million events never become one string.
 */
import { createSignal, type JSX } from "solid-js";
import type { KnownWorkspace } from "../data/api.ts";
import { useServices } from "../views/services.tsx";
import { downloadBlob, slug } from "./download.ts";
import { formatInteger } from "./format.ts";
import { Notice, type NoticeText } from "./notice.tsx";
import "../styles/bundle.css";

export interface BundleExportProps {
  workspace: KnownWorkspace;
  /** Events stored, for the progress line. */
  events: number;
}

/** `tally-<workspace>-bundle-<yyyy-mm-dd>.ndjson[.gz]` */
export function bundleFileName(workspace: string, now: number, gzip: boolean): string {
  return `tally-${slug(workspace)}-bundle-${new Date(now).toISOString().slice(0, 10)}.ndjson${gzip ? ".gz" : ""}`;
}

export function BundleExport(props: BundleExportProps): JSX.Element {
  const services = useServices();
  const [written, setWritten] = createSignal<number | null>(null);
  const [notice, setNotice] = createSignal<NoticeText | null>(null);

  const run = async () => {
    if (written() !== null) return;
    setNotice(null);
    setWritten(0);
    try {
      // the config's schemas load with the first export, not with every workspace page
      const { bundleConfig, configSourceNote } = await import("./bundle-config.ts");
      const { config, source } = await bundleConfig(props.workspace);
      const { blob, gzip } = await services.bundles.exportFile(props.workspace, config, setWritten);
      const now = Date.now();
      downloadBlob(blob, bundleFileName(props.workspace.name, now, gzip));
      const keys = Object.keys(config).length;
      const from = configSourceNote(source);
      setNotice({ tone: "good", text: `Exported ${formatInteger(written() ?? 0)} events and ${keys} config key${keys === 1 ? "" : "s"}${from}.` });
    } catch (err) {
      setNotice({ tone: "bad", text: `The export failed: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setWritten(null);
    }
  };

  return (
    <div class="bundle-export" data-testid="bundle-export">
      <button
        type="button"
        class="button button-small"
        onClick={() => void run()}
        disabled={written() !== null}
        title="Download every stored event and the workspace config as one file, to import into another workspace or browser"
      >
        Export workspace
      </button>
      {/* always mounted, only its text changes: a live region added with its text is often not announced */}
      <span class="bundle-progress" role="status" data-testid="bundle-export-progress">
        {written() !== null ? `Exporting… ${formatInteger(written() ?? 0)} of ${formatInteger(props.events)} events` : ""}
      </span>
      <Notice notice={notice()} testId="bundle-export-notice" />
    </div>
  );
}
