/**
 * Editing alert rules, for the workspace's admins: "Edit rules" asks for the
 * admin token (kept in this tab's sessionStorage only, with a way to forget
 * it), then edits a copy of the rules read at one version. Saving validates
 * with the shared schema first, then writes `alert_rules` based on that
 * version; the edge's 400 issues show next to the fields they name, and a
 * change made elsewhere meanwhile reads "changed elsewhere — reload rules".
 */
import { createSignal, For, Index, Show, type JSX } from "solid-js";
import { Notice, type NoticeText } from "./notice.tsx";
import { ALERT_RULE_TYPES, type AlertRuleType } from "../../../shared/alerts/rule.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { forgetAdminToken, isAdminToken, loadAdminToken, saveAdminToken } from "../views/chaos-admin-token.ts";
import { EdgeError, EdgeOfflineError } from "../data/edge-call.ts";
import { saveRules, type StoredRules } from "../views/chaos-edge.ts";
import { draftFromRule, edgeIssues, errorsByField, newDraft, TYPE_LABELS, validateDrafts, type FieldErrors, type RuleDraft } from "../views/chaos-rules-form.ts";
import { RuleForm } from "./rule-form.tsx";

export interface RuleEditorProps {
  workspace: KnownWorkspace;
  /** The rules as last read; null before the first read. */
  stored: StoredRules | null;
  onSaved(stored: StoredRules): void;
  onReload(): void;
}

type RulesNotice = (NoticeText & { reload?: boolean }) | null;

export function RuleEditor(props: RuleEditorProps): JSX.Element {
  const [token, setToken] = createSignal<string | null>(loadAdminToken(props.workspace.id));
  const [asking, setAsking] = createSignal(false);
  const [tokenError, setTokenError] = createSignal<string | null>(null);
  const [drafts, setDrafts] = createSignal<RuleDraft[] | null>(null);
  const [baseVersion, setBaseVersion] = createSignal(0);
  const [errors, setErrors] = createSignal<FieldErrors>(new Map());
  const [notice, setNotice] = createSignal<RulesNotice>(null);
  const [saving, setSaving] = createSignal(false);
  const [newType, setNewType] = createSignal<AlertRuleType>("latency");

  const startEditing = () => {
    const stored = props.stored;
    if (stored === null) return;
    setDrafts(stored.rules.map(draftFromRule));
    setBaseVersion(stored.version);
    setErrors(new Map());
    setNotice(null);
  };

  const onEdit = () => (token() === null ? setAsking(true) : startEditing());

  const onToken = (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem("admin-token") as HTMLInputElement;
    const value = input.value.trim();
    if (!isAdminToken(value)) return void setTokenError("An admin token starts with tly_a_.");
    saveAdminToken(props.workspace.id, value);
    setToken(value);
    setTokenError(null);
    setAsking(false);
    startEditing();
  };

  const forget = () => {
    forgetAdminToken(props.workspace.id);
    setToken(null);
    setDrafts(null);
    setNotice({ tone: "good", text: "The admin token was forgotten in this tab." });
  };

  const update = (key: number, next: RuleDraft | null) => setDrafts((list) => (list ?? []).flatMap((d) => (d.key !== key ? [d] : next ? [next] : [])));

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const list = drafts();
    const admin = token();
    if (list === null || admin === null || saving()) return;
    const checked = validateDrafts(list);
    if (!checked.ok) {
      setErrors(checked.errors);
      return void setNotice({ tone: "bad", text: "Some fields need fixing; nothing was sent." });
    }
    setErrors(new Map());
    setSaving(true);
    try {
      const outcome = await saveRules(props.workspace, admin, checked.rules, baseVersion());
      if (outcome.kind === "saved") {
        props.onSaved(outcome.stored);
        setDrafts(null);
        setNotice({ tone: "good", text: `Rules saved (version ${outcome.stored.version}).` });
      } else if (outcome.written) {
        if (outcome.stored) props.onSaved(outcome.stored);
        setDrafts(null);
        setNotice({ tone: "bad", text: "Saved, but the rules had changed elsewhere and that change was replaced — reload rules to check them.", reload: true });
      } else {
        setNotice({ tone: "bad", text: "Changed elsewhere — reload rules. Nothing was saved.", reload: true });
      }
    } catch (err) {
      if (err instanceof EdgeOfflineError) setNotice({ tone: "bad", text: "Offline: the rules were not saved. Try again when online." });
      else if (err instanceof EdgeError && (err.status === 401 || err.status === 403)) setNotice({ tone: "bad", text: `The edge refused this admin token (${err.code}). Forget it and enter the workspace's admin token.` });
      else if (err instanceof EdgeError && err.status === 400) {
        setErrors(errorsByField(list, edgeIssues(err.details)));
        setNotice({ tone: "bad", text: `The edge refused the rules: ${err.message}.` });
      } else setNotice({ tone: "bad", text: `The rules were not saved: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setSaving(false);
    }
  };

  const reload = () => {
    setDrafts(null);
    setNotice(null);
    props.onReload();
  };

  return (
    <div class="rule-editor" data-testid="rule-editor">
      <div class="rule-editor-bar">
        <Show when={drafts() === null}>
          <button type="button" class="button" onClick={onEdit} disabled={props.stored === null} data-testid="rules-edit">
            Edit rules
          </button>
        </Show>
        <Show when={token() !== null}>
          <button type="button" class="button button-small" onClick={forget} data-testid="admin-token-forget">
            Forget admin token
          </button>
        </Show>
      </div>
      <Notice notice={notice()} testId="rules-notice">
        <Show when={notice()?.reload}>
          {" "}
          <button type="button" class="button button-small" onClick={reload} data-testid="rules-reload">
            Reload rules
          </button>
        </Show>
      </Notice>
      <Show when={asking()}>
        <form class="token-form" onSubmit={onToken} data-testid="admin-token-form">
          <label for="admin-token">Admin token of this workspace</label>
          <input ref={(el) => queueMicrotask(() => el.focus())} id="admin-token" name="admin-token" type="password" autocomplete="off" spellcheck={false} placeholder="tly_a_…" aria-describedby="admin-token-hint" data-testid="admin-token-input" />
          <p id="admin-token-hint" class="rule-hint">
            Kept only in this tab until it closes, never in the link or the stored workspace.
          </p>
          <Show when={tokenError()}>
            <p class="rule-error" role="alert">
              {tokenError()}
            </p>
          </Show>
          <div class="rule-actions">
            <button type="submit" class="button" data-testid="admin-token-submit">
              Use token
            </button>
            <button type="button" class="button button-small" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <Show when={drafts()}>
        {(list) => (
          <form class="rules-form" onSubmit={(e) => void save(e)} data-testid="rules-form" aria-busy={saving()}>
            <p class="rule-hint">Editing version {baseVersion()} of the rules.</p>
            {/* by position, not by object: each keystroke makes a new draft, and re-creating its fields would lose focus */}
            <Index each={list()}>{(d) => <RuleForm draft={d()} errors={errors().get(d().key)} onChange={(next) => update(d().key, next)} onRemove={() => update(d().key, null)} />}</Index>
            <Show when={errors().get(-1)?.get("")}>
              {(text) => (
                <p class="rule-error" role="alert" data-testid="rules-list-error">
                  {text()}
                </p>
              )}
            </Show>
            <div class="rule-add">
              <label for="rule-new-type">New rule of type</label>
              <select id="rule-new-type" value={newType()} onChange={(e) => setNewType(e.currentTarget.value as AlertRuleType)} data-testid="rule-new-type">
                <For each={ALERT_RULE_TYPES}>
                  {(t) => (
                    <option value={t} selected={t === newType()}>
                      {TYPE_LABELS[t]}
                    </option>
                  )}
                </For>
              </select>
              <button type="button" class="button button-small" onClick={() => setDrafts([...list(), newDraft(newType(), list().map((d) => d.id))])} data-testid="rule-add">
                Add rule
              </button>
            </div>
            <div class="rule-actions">
              <button type="submit" class="button" disabled={saving()} data-testid="rules-save">
                {saving() ? "Saving…" : "Save rules"}
              </button>
              <button type="button" class="button button-small" onClick={() => (setDrafts(null), setErrors(new Map()))} data-testid="rules-cancel">
                Cancel
              </button>
            </div>
          </form>
        )}
      </Show>
    </div>
  );
}
