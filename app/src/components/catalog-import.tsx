/**
 * Importing the endpoint catalog from an OpenAPI 3 document (JSON or YAML),
 * for the workspace's admins: choose a file, see what it declares (endpoints,
 * response codes, the parser's warnings) and what it would change, choose to
 * add it to the catalog (the default, as `tally catalog import`) or replace
 * the catalog, confirm, and the catalog is written to the workspace config
 * with the admin token (kept in this tab's sessionStorage only, as for alert
 * rules). Nothing is sent before the confirmation, and nothing is written
 * when the document does not parse or the catalog does not fit the schema.
 */
import { createSignal, For, Show, type JSX } from "solid-js";
import { Notice, type NoticeText } from "./notice.tsx";
import type { KnownWorkspace } from "../data/api.ts";
import { createAdminTokenField } from "./admin-token-field.ts";
import { EdgeError, EdgeOfflineError } from "../data/edge-call.ts";
import { describeChange, documentTooLarge, planImport, readCatalogDocument, type CatalogPreview } from "../views/coverage-catalog.ts";
import { importCatalog, type CatalogEntry, type CoverageConfig } from "../views/coverage-edge.ts";
import { formatInteger } from "./format.ts";

export interface CatalogImportProps {
  workspace: KnownWorkspace;
  /** The catalog as the view shows it, to preview what the import changes (the write reads it afresh). */
  catalog: readonly CatalogEntry[];
  onImported(config: CoverageConfig): void;
}



export function CatalogImport(props: CatalogImportProps): JSX.Element {
  const admin = createAdminTokenField(() => props.workspace.id);
  const token = admin.token;
  const [open, setOpen] = createSignal(false);
  const [preview, setPreview] = createSignal<CatalogPreview | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal<NoticeText | null>(null);
  const [saving, setSaving] = createSignal(false);
  const [replace, setReplace] = createSignal(false);
  const plan = () => {
    const p = preview();
    return p === null ? null : planImport(props.catalog, p.entries, replace());
  };
  let fileInput!: HTMLInputElement;

  const clearReading = () => {
    setPreview(null);
    setProblem(null);
  };
  const reset = () => {
    clearReading();
    if (fileInput) fileInput.value = "";
  };

  const choose = async (file: File | undefined) => {
    // the input keeps showing the chosen file's name
    clearReading();
    setNotice(null);
    if (!file) return;
    const large = documentTooLarge(file.name, file.size);
    if (large) return void setProblem(large);
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      return void setProblem(`${file.name} could not be read: ${err instanceof Error ? err.message : String(err)}`);
    }
    const reading = readCatalogDocument(file.name, text);
    if (!reading.ok) return void setProblem(reading.problem);
    setPreview(reading.preview);
  };

  const confirm = async (e: SubmitEvent) => {
    e.preventDefault();
    const p = preview();
    if (p === null || saving()) return;
    const adminToken = admin.take(e.currentTarget as HTMLFormElement, "catalog-admin-token");
    if (adminToken === null) return void setNotice({ tone: "bad", text: "An admin token starts with tly_a_. Nothing was sent." });
    setSaving(true);
    try {
      const outcome = await importCatalog(props.workspace, adminToken, p.entries, replace());
      props.onImported(outcome.config);
      const { catalog, catalogVersion } = outcome.config;
      const what = `${formatInteger(catalog.length)} endpoints (version ${catalogVersion}): ${describeChange(outcome.plan.change)}`;
      if (outcome.kind === "replaced") {
        setNotice({ tone: "bad", text: `Catalog imported, ${what}; it replaced version ${outcome.replacedVersion}, written by someone else while this import ran. Check the catalog.` });
      } else if (outcome.changed) setNotice({ tone: "good", text: `Catalog imported: ${what}.` });
      else setNotice({ tone: "good", text: `The catalog already held these endpoints; nothing changed (version ${catalogVersion}).` });
      reset();
      setOpen(false);
    } catch (err) {
      if (err instanceof EdgeOfflineError) setNotice({ tone: "bad", text: "Offline: the catalog was not imported. Try again when online." });
      else if (admin.refused(err)) setNotice({ tone: "bad", text: `The edge refused this admin token (${err.code}): nothing was imported. Enter the workspace's admin token.` });
      else if (err instanceof EdgeError) setNotice({ tone: "bad", text: `The edge refused the catalog (${err.status} ${err.code}): ${err.message}${detailText(err.details)}` });
      else setNotice({ tone: "bad", text: `The catalog was not imported: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setSaving(false);
    }
  };

  const forget = () => {
    admin.forget();
    setNotice({ tone: "good", text: "The admin token was forgotten in this tab." });
  };

  return (
    <div class="catalog-import" data-testid="catalog-import">
      <div class="rule-editor-bar">
        <Show when={!open()}>
          <button type="button" class="button" onClick={() => (setOpen(true), setNotice(null))} data-testid="catalog-import-open">
            Import OpenAPI…
          </button>
        </Show>
        <Show when={token() !== null}>
          <button type="button" class="button button-small" onClick={forget} data-testid="catalog-token-forget">
            Forget admin token
          </button>
        </Show>
      </div>
      <Notice notice={notice()} testId="catalog-notice" />
      <Show when={open()}>
        <form class="token-form" onSubmit={(e) => void confirm(e)} aria-busy={saving()} data-testid="catalog-import-form">
          <label for="catalog-file">OpenAPI 3 document (JSON or YAML)</label>
          <input
            ref={fileInput}
            id="catalog-file"
            type="file"
            accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
            onChange={(e) => void choose(e.currentTarget.files?.[0])}
            data-testid="catalog-file"
          />
          <p class="rule-hint">The document is read here; only its endpoints (method, path, documented response codes) are sent.</p>
          <Show when={problem()}>
            <p class="rule-error" role="alert" data-testid="catalog-problem">
              {problem()}
            </p>
          </Show>
          <Show when={preview()}>
            {(p) => (
              <div class="catalog-preview" data-testid="catalog-preview">
                <p>
                  <strong data-testid="catalog-preview-count">{formatInteger(p().entries.length)} endpoints</strong>, {formatInteger(p().codes)} documented response codes
                  {p().title ? `, from "${p().title}"` : ""}.
                </p>
                <Show when={p().warnings.length > 0}>
                  <details open={p().warnings.length <= 5} data-testid="catalog-warnings">
                    <summary>{formatInteger(p().warnings.length)} warnings</summary>
                    <ul>
                      <For each={p().warnings.slice(0, 200)}>{(w) => <li>{w}</li>}</For>
                    </ul>
                  </details>
                </Show>
                <Show when={props.catalog.length > 0}>
                  <fieldset class="catalog-mode" data-testid="catalog-mode">
                    <legend>Into the catalog of {formatInteger(props.catalog.length)} endpoints</legend>
                    <label>
                      <input type="radio" name="catalog-mode" checked={!replace()} onChange={() => setReplace(false)} data-testid="catalog-mode-merge" /> Add to it: endpoints the document does not list are kept
                    </label>
                    <label>
                      <input type="radio" name="catalog-mode" checked={replace()} onChange={() => setReplace(true)} data-testid="catalog-mode-replace" /> Replace it: only the document's endpoints remain
                    </label>
                  </fieldset>
                </Show>
                <Show when={plan()}>
                  {(pl) => (
                    <>
                      <p data-testid="catalog-preview-change">
                        Against the catalog shown here: {describeChange(pl().change)}; {formatInteger(pl().catalog.length)} endpoints after the import.
                      </p>
                      <Show when={pl().problem}>
                        <p class="rule-error" role="alert" data-testid="catalog-plan-problem">
                          {pl().problem}
                        </p>
                      </Show>
                    </>
                  )}
                </Show>
                <Show when={token() === null}>
                  <label for="catalog-admin-token">Admin token of this workspace</label>
                  <input id="catalog-admin-token" name="catalog-admin-token" type="password" autocomplete="off" spellcheck={false} placeholder="tly_a_…" data-testid="catalog-admin-token" />
                  <p class="rule-hint">Kept only in this tab until it closes, never in the link or the stored workspace.</p>
                </Show>
              </div>
            )}
          </Show>
          <div class="rule-actions">
            <button type="submit" class="button" disabled={preview() === null || saving() || (plan()?.problem ?? null) !== null} data-testid="catalog-import-confirm">
              {saving() ? "Importing…" : preview() ? `Import ${formatInteger(preview()!.entries.length)} endpoints` : "Import"}
            </button>
            <button type="button" class="button button-small" onClick={() => (reset(), setOpen(false))}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
    </div>
  );
}

/** The first few of an error envelope's issues, as a sentence's tail. */
function detailText(details: unknown): string {
  const issues = (details as { issues?: Array<{ path?: unknown; message?: unknown }> } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return "";
  const parts = issues.slice(0, 3).map((i) => `${Array.isArray(i.path) ? i.path.join(".") : String(i.path ?? "")}: ${String(i.message ?? "")}`);
  return ` (${parts.join("; ")})`;
}
