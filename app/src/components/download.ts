/**
 * Saving text as a file: a Blob URL on a temporary link, revoked once the
 * browser has taken the download, so exports work offline and never send
 * data anywhere.
 */

export function download(text: string, filename: string, mime: string): void {
  downloadBlob(new Blob([text], { type: `${mime};charset=utf-8` }), filename);
}

/** Saves a Blob built elsewhere (a gzip bundle) as a file. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // revoking at once can cancel the download in some browsers
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file-name-safe form of user-supplied text (workspace names). */
export function slug(text: string): string {
  const s = text
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return s === "" ? "workspace" : s;
}

/** `tally-<workspace>-<what>-<yyyy-mm-dd>.<ext>` */
export function exportName(workspace: string, what: string, ext: "csv" | "json", now: number): string {
  return `tally-${slug(workspace)}-${what}-${new Date(now).toISOString().slice(0, 10)}.${ext}`;
}
