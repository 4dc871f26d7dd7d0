/**
 * Saving one product key from an admin form: the shared admin token field
 * (kept in this tab, or typed into the form), the write based on the
 * version the form started from, and each way it can end worded for the
 * form's notice. The funnel and experiment editors share it.
 */
import { createSignal, type Accessor } from "solid-js";
import { createAdminTokenField, type AdminTokenField } from "../components/admin-token-field.ts";
import type { NoticeText } from "../components/notice.tsx";
import type { KnownWorkspace } from "../data/api.ts";
import { EdgeError, EdgeOfflineError } from "../data/edge-call.ts";
import { saveProductKey, type ProductConfig, type ProductKey } from "./product-edge.ts";
import { edgeIssues, type FormErrors } from "./product-form.ts";

/** How a save ended, for the form: close it, start again from the stored value, or show the edge's issues. */
export type SaveResult =
  | { kind: "saved" }
  | { kind: "conflict"; config: ProductConfig | null }
  | { kind: "refused"; issues: Array<{ path: string; message: string }> }
  | { kind: "failed" };

export interface ProductSave {
  admin: AdminTokenField;
  notice: Accessor<NoticeText | null>;
  setNotice(notice: NoticeText | null): void;
  saving: Accessor<boolean>;
  save<K extends ProductKey>(form: HTMLFormElement, tokenField: string, key: K, value: ProductConfig[K], baseVersion: number): Promise<SaveResult>;
  /** A form's submit: checks its drafts, saves them, and settles the form however the save ended. */
  submit<K extends ProductKey, D>(event: SubmitEvent, form: DraftForm<K, D>): Promise<void>;
}

/** What an editor's submit hands over: its drafts, how they are checked, and how the form is settled. */
export interface DraftForm<K extends ProductKey, D> {
  key: K;
  tokenField: string;
  drafts: D[] | null;
  baseVersion: number;
  validate(drafts: D[]): { ok: true; value: ProductConfig[K] } | { ok: false; errors: FormErrors };
  /** The edge's issues placed on the drafts' fields. */
  issuesToErrors(drafts: D[], issues: Array<{ path: string; message: string }>): FormErrors;
  setErrors(errors: FormErrors): void;
  /** Saved: the form closes. */
  close(): void;
  /** Changed elsewhere and not written: the form starts again from the stored value. */
  restart(config: ProductConfig | null): void;
}

const NOUN: Record<ProductKey, string> = { funnels: "Funnels", experiments: "Experiment settings" };

export function createProductSave(workspace: () => KnownWorkspace, onSaved: (config: ProductConfig) => void): ProductSave {
  const admin = createAdminTokenField(() => workspace().id);
  const [notice, setNotice] = createSignal<NoticeText | null>(null);
  const [saving, setSaving] = createSignal(false);

  async function save<K extends ProductKey>(form: HTMLFormElement, tokenField: string, key: K, value: ProductConfig[K], baseVersion: number): Promise<SaveResult> {
    const token = admin.take(form, tokenField);
    if (token === null) {
      setNotice({ tone: "bad", text: "Saving needs the workspace's admin token (it starts with tly_a_); a share link can only read these. Nothing was sent." });
      return { kind: "failed" };
    }
    setSaving(true);
    try {
      const outcome = await saveProductKey(workspace(), token, key, value, baseVersion);
      if (outcome.config) onSaved(outcome.config);
      if (outcome.kind === "saved") {
        setNotice({ tone: "good", text: `${NOUN[key]} saved (version ${outcome.config.versions[key]}).` });
        return { kind: "saved" };
      }
      setNotice({
        tone: "bad",
        text: outcome.written
          ? `Saved, but the ${key} had changed elsewhere and that change was replaced: check them below.`
          : `Changed elsewhere meanwhile: nothing was saved. The stored ${key} show now; edit again from them.`,
      });
      return outcome.written ? { kind: "saved" } : { kind: "conflict", config: outcome.config };
    } catch (err) {
      if (err instanceof EdgeOfflineError) setNotice({ tone: "bad", text: "Offline: nothing was saved. Try again when online." });
      else if (admin.refused(err)) setNotice({ tone: "bad", text: `The edge refused this admin token (${err.code}): nothing was saved. Enter the workspace's admin token.` });
      else if (err instanceof EdgeError && err.status === 400) {
        setNotice({ tone: "bad", text: `The edge refused the ${key}: ${err.message}` });
        return { kind: "refused", issues: edgeIssues(err.details) };
      } else setNotice({ tone: "bad", text: `Nothing was saved: ${err instanceof Error ? err.message : String(err)}` });
      return { kind: "failed" };
    } finally {
      setSaving(false);
    }
  }

  async function submit<K extends ProductKey, D>(event: SubmitEvent, form: DraftForm<K, D>): Promise<void> {
    event.preventDefault();
    const list = form.drafts;
    if (list === null || saving()) return;
    const checked = form.validate(list);
    if (!checked.ok) {
      form.setErrors(checked.errors);
      setNotice({ tone: "bad", text: `Some fields need fixing; nothing was sent. ${[...checked.errors.values()][0] ?? ""}` });
      return;
    }
    form.setErrors(new Map());
    const result = await save(event.currentTarget as HTMLFormElement, form.tokenField, form.key, checked.value, form.baseVersion);
    if (result.kind === "saved") form.close();
    else if (result.kind === "conflict") form.restart(result.config);
    else if (result.kind === "refused") form.setErrors(form.issuesToErrors(list, result.issues));
  }

  return { admin, notice, setNotice, saving, save, submit };
}
