/**
 * What a workspace imported from a bundle shows where others show their live
 * and sync state: it is a copy in this browser, with no edge, never synced.
 */
import type { JSX } from "solid-js";
import type { KnownWorkspace } from "../data/api.ts";
import { formatDateTime } from "./format.ts";
import "../styles/bundle.css";

type Imported = NonNullable<KnownWorkspace["imported"]>;

export function ImportedCopyNote(props: { imported: Imported }): JSX.Element {
  const exported = () => Date.parse(props.imported.exportedAt);
  return (
    <p class="imported-note" role="note" data-testid="imported-note">
      <span class="badge badge-imported">imported</span> Imported copy, not synced: a bundle of {props.imported.sourceId} exported{" "}
      {Number.isFinite(exported()) ? formatDateTime(exported()) : props.imported.exportedAt}. Import a newer bundle to add its events.
    </p>
  );
}
