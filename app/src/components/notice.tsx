/**
 * The one-line outcome of an admin action (saved, refused, offline): a status
 * for good news, an alert for bad, so screen readers announce failures at once.
 */
import { Show, type JSX } from "solid-js";

export interface NoticeText {
  tone: "good" | "bad";
  text: string;
}

/** Nothing while `notice` is null; `children` follow the text (a retry button, say). */
export function Notice(props: { notice: NoticeText | null; testId: string; children?: JSX.Element }): JSX.Element {
  return (
    <Show when={props.notice}>
      {(n) => (
        <p class={`notice ${n().tone === "bad" ? "notice-bad" : ""}`} role={n().tone === "bad" ? "alert" : "status"} data-testid={props.testId}>
          {n().text}
          {props.children}
        </p>
      )}
    </Show>
  );
}
