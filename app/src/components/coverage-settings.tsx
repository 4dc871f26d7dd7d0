/**
 * Editing what coverage is judged by, for the workspace's admins: declared
 * personas and scenarios (so the ones never hit or used show) and the
 * coverage, staleness and drift thresholds. Asks for the admin token as the
 * catalog import does (this tab's sessionStorage only); checks every field
 * before sending; a change made elsewhere meanwhile is reported, not
 * replaced.
 */
import { createSignal, For, Show, type JSX } from "solid-js";
import { Notice, type NoticeText } from "./notice.tsx";
import type { KnownWorkspace } from "../data/api.ts";
import { createAdminTokenField } from "./admin-token-field.ts";
import { EdgeOfflineError } from "../data/edge-call.ts";
import { saveCoverageSettings, type CoverageConfig } from "../views/coverage-edge.ts";
import { draftFromConfig, readDraft, THRESHOLD_FIELDS, type SettingsDraft, type SettingsField, type ThresholdKey } from "../views/coverage-settings.ts";

export interface CoverageSettingsProps {
  workspace: KnownWorkspace;
  /** The config as the view shows it; null before the first read. */
  config: CoverageConfig | null;
  onSaved(config: CoverageConfig): void;
}


export function CoverageSettingsEditor(props: CoverageSettingsProps): JSX.Element {
  const [draft, setDraft] = createSignal<SettingsDraft | null>(null);
  const [base, setBase] = createSignal<CoverageConfig | null>(null);
  const [errors, setErrors] = createSignal<Partial<Record<SettingsField, string>>>({});
  const [notice, setNotice] = createSignal<NoticeText | null>(null);
  const [saving, setSaving] = createSignal(false);
  // read again on every edit: the catalog import may have kept one meanwhile
  const admin = createAdminTokenField(() => props.workspace.id);
  const token = admin.token;

  const start = () => {
    const c = props.config;
    if (c === null) return;
    admin.reload();
    setBase(c);
    setDraft(draftFromConfig(c));
    setErrors({});
    setNotice(null);
  };
  const edit = (change: Partial<SettingsDraft>) => setDraft((d) => (d ? { ...d, ...change } : d));
  const editThreshold = (key: ThresholdKey, value: string) => setDraft((d) => (d ? { ...d, thresholds: { ...d.thresholds, [key]: value } } : d));

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const d = draft();
    const b = base();
    if (d === null || b === null || saving()) return;
    const checked = readDraft(d, b.thresholds);
    if (!checked.ok) {
      setErrors(checked.errors);
      return void setNotice({ tone: "bad", text: "Some fields need fixing; nothing was sent." });
    }
    const adminToken = admin.take(e.currentTarget as HTMLFormElement, "settings-admin-token");
    if (adminToken === null) return void setNotice({ tone: "bad", text: "An admin token starts with tly_a_. Nothing was sent." });
    setErrors({});
    setSaving(true);
    try {
      const outcome = await saveCoverageSettings(props.workspace, adminToken, checked.value, b);
      props.onSaved(outcome.config);
      if (outcome.kind === "saved") {
        setDraft(null);
        setNotice({ tone: "good", text: "Personas, scenarios and thresholds saved." });
      } else {
        setBase(outcome.config);
        setNotice({ tone: "bad", text: `Changed elsewhere meanwhile (${outcome.keys.join(", ")}): nothing was saved. The view now shows the stored values; edit again from them.` });
        setDraft(draftFromConfig(outcome.config));
      }
    } catch (err) {
      if (err instanceof EdgeOfflineError) setNotice({ tone: "bad", text: "Offline: nothing was saved. Try again when online." });
      else if (admin.refused(err)) setNotice({ tone: "bad", text: `The edge refused this admin token (${err.code}): nothing was saved. Enter the workspace's admin token.` });
      else setNotice({ tone: "bad", text: `Nothing was saved: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setSaving(false);
    }
  };

  const fieldError = (field: SettingsField) => (
    <Show when={errors()[field]}>
      <p class="rule-error" role="alert" data-testid={`settings-error-${field}`}>
        {errors()[field]}
      </p>
    </Show>
  );

  return (
    <div class="coverage-settings" data-testid="coverage-settings">
      <Show when={draft() === null}>
        <button type="button" class="button" disabled={props.config === null} onClick={start} data-testid="settings-edit">
          Edit personas, scenarios and thresholds
        </button>
      </Show>
      <Notice notice={notice()} testId="settings-notice" />
      <Show when={draft()}>
        {(d) => (
          <form class="token-form" onSubmit={(e) => void save(e)} aria-busy={saving()} data-testid="settings-form">
            <label for="settings-personas">Declared personas (one per line)</label>
            <textarea id="settings-personas" rows={4} value={d().personas} onInput={(e) => edit({ personas: e.currentTarget.value })} data-testid="settings-personas" />
            {fieldError("personas")}
            <label for="settings-scenarios">Declared scenarios (one per line)</label>
            <textarea id="settings-scenarios" rows={4} value={d().scenarios} onInput={(e) => edit({ scenarios: e.currentTarget.value })} data-testid="settings-scenarios" />
            {fieldError("scenarios")}
            <For each={THRESHOLD_FIELDS}>
              {(f) => (
                <>
                  <label for={`settings-${f.key}`}>{f.label}</label>
                  <input
                    id={`settings-${f.key}`}
                    inputmode="decimal"
                    placeholder={`default ${f.fallback}`}
                    value={d().thresholds[f.key]}
                    onInput={(e) => editThreshold(f.key, e.currentTarget.value)}
                    data-testid={`settings-${f.key}`}
                  />
                  {fieldError(f.key)}
                </>
              )}
            </For>
            <Show when={token() === null}>
              <label for="settings-admin-token">Admin token of this workspace</label>
              <input id="settings-admin-token" name="settings-admin-token" type="password" autocomplete="off" spellcheck={false} placeholder="tly_a_…" data-testid="settings-admin-token" />
            </Show>
            <div class="rule-actions">
              <button type="submit" class="button" disabled={saving()} data-testid="settings-save">
                {saving() ? "Saving…" : "Save"}
              </button>
              <button type="button" class="button button-small" onClick={() => (setDraft(null), setErrors({}))}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </Show>
    </div>
  );
}
