/**
 * Whether this browser keeps Tally's stored events for good. Browsers may
 * evict data of sites that are not "persisted" when space runs low, so the
 * notice says so (quietly) and offers to ask again; a full disk says so
 * loudly.
 */
import { Show, type JSX } from "solid-js";

export interface StorageInfo {
  persisted: boolean;
  usage: number | null;
  quota: number | null;
}

export interface StorageNoticeProps {
  info: StorageInfo | null;
  /** The latest sync hit the quota. */
  full: boolean;
  onPersist?: () => void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

export function StorageNotice(props: StorageNoticeProps): JSX.Element {
  const usage = () => {
    const i = props.info;
    return i && i.usage !== null && i.quota !== null ? ` Using ${megabytes(i.usage)} of ${megabytes(i.quota)}.` : "";
  };
  return (
    <>
      <Show when={props.full}>
        <p class="notice notice-bad" role="alert" data-testid="storage-full">
          This browser's storage for Tally is full: new events cannot be saved. Everything already stored is safe.{usage()}
        </p>
      </Show>
      <Show when={!props.full && props.info && !props.info.persisted}>
        <p class="notice notice-quiet" data-testid="storage-not-persisted">
          Stored events may be cleared by the browser if the device runs low on space.{usage()}{" "}
          <Show when={props.onPersist}>
            <button type="button" class="link-button" onClick={() => props.onPersist?.()}>
              Ask to keep them
            </button>
          </Show>
        </p>
      </Show>
    </>
  );
}
