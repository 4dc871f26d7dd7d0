/**
 * What each experiment is judged by, for everyone to read and for admins to
 * change: its goal (an event name, optionally one prop equal to a value;
 * none for the default, a `converted: true` event of the experiment) and its
 * control variant. Admin token, schema check and conflict handling as in the
 * funnel editor.
 */
import { createSignal, For, Index, Show, type JSX } from "solid-js";
import type { KnownWorkspace } from "../data/api.ts";
import type { ProductConfig } from "../views/product-edge.ts";
import { experimentDraft, experimentErrors, matchText, newExperimentDraft, propsText, validateExperiments, type ExperimentDraft, type FormErrors } from "../views/product-form.ts";
import { createProductSave } from "../views/product-save.ts";
import { FormField } from "./funnel-field.tsx";
import { Notice } from "./notice.tsx";

export interface ExperimentEditorProps {
  workspace: KnownWorkspace;
  config: ProductConfig | null;
  /** Experiments and their variants seen in the report, offered as suggestions. */
  seen: Array<{ experiment: string; variants: string[] }>;
  onSaved(config: ProductConfig): void;
}

const TOKEN_FIELD = "experiments-admin-token";

export function ExperimentEditor(props: ExperimentEditorProps): JSX.Element {
  const [drafts, setDrafts] = createSignal<ExperimentDraft[] | null>(null);
  const [base, setBase] = createSignal(0);
  const [errors, setErrors] = createSignal<FormErrors>(new Map());
  const saver = createProductSave(() => props.workspace, (c) => props.onSaved(c));

  const start = (config: ProductConfig | null = props.config) => {
    if (config === null) return;
    saver.admin.reload();
    setDrafts(config.experiments.map(experimentDraft));
    setBase(config.versions.experiments);
    setErrors(new Map());
  };
  const update = (key: number, change: (d: ExperimentDraft) => ExperimentDraft | null) => setDrafts((list) => (list ?? []).flatMap((d) => (d.key !== key ? [d] : (change(d) ?? []))));
  // experiments seen but not configured yet: the likeliest next one to add
  const unconfigured = () => props.seen.map((s) => s.experiment).filter((name) => !(drafts() ?? []).some((d) => d.experiment === name));
  const variants = () => [...new Set(props.seen.flatMap((s) => s.variants))];

  const save = (e: SubmitEvent) =>
    saver.submit(e, {
      key: "experiments",
      tokenField: TOKEN_FIELD,
      drafts: drafts(),
      baseVersion: base(),
      validate: validateExperiments,
      issuesToErrors: experimentErrors,
      setErrors,
      close: () => setDrafts(null),
      restart: (config) => start(config ?? props.config),
    });

  const err = (id: string) => errors().get(id);

  return (
    <div class="product-settings" data-testid="experiment-editor">
      <Show when={drafts() === null}>
        <Show when={(props.config?.experiments.length ?? 0) > 0} fallback={<p class="panel-description">Every experiment uses the default goal and control.</p>}>
          <ul class="product-definitions" data-testid="experiment-definitions">
            <For each={props.config!.experiments}>
              {(x) => (
                <li>
                  <span class="product-name">{x.experiment}</span>
                  <span class="rule-detail">
                    {" "}
                    · goal {x.goal ? matchText(x.goal) : "the default"} · control {x.control ?? "the default"}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <div class="rule-actions">
          <button type="button" class="button" disabled={props.config === null} onClick={() => (saver.setNotice(null), start())} data-testid="experiments-edit">
            Edit experiment goals
          </button>
          <span class="rule-hint">Needs the workspace's admin token; a share link can only read them.</span>
        </div>
      </Show>
      <Notice notice={saver.notice()} testId="experiments-notice" />
      <Show when={drafts()}>
        {(list) => (
          <form class="rules-form" onSubmit={(e) => void save(e)} aria-busy={saver.saving()} data-testid="experiments-form">
            <p class="rule-hint">
              Editing version {base()}. Leave the goal empty for the default (a track event of the experiment with converted = true) and the control empty for "control", else the first variant seen.
            </p>
            <datalist id="experiments-seen">
              <For each={unconfigured()}>{(name) => <option value={name} />}</For>
            </datalist>
            <datalist id="variants-seen">
              <For each={variants()}>{(name) => <option value={name} />}</For>
            </datalist>
            <Index each={list()}>
              {(d, i) => (
                <fieldset class="rule-form" data-testid="experiment-form">
                  <legend>{d().experiment || `Experiment ${i + 1}`}</legend>
                  <div class="rule-grid">
                    <FormField id={`experiment-${d().key}-name`} label="Experiment" list="experiments-seen" value={d().experiment} error={err(`${d().key}:experiment`)} onInput={(v) => update(d().key, (x) => ({ ...x, experiment: v }))} />
                    <FormField id={`experiment-${d().key}-control`} label="Control variant (optional)" list="variants-seen" value={d().control} error={err(`${d().key}:control`)} onInput={(v) => update(d().key, (x) => ({ ...x, control: v }))} />
                    <FormField id={`experiment-${d().key}-goal`} label="Goal event (optional)" value={d().goal.name} error={err(`${d().key}:goal-name`)} onInput={(v) => update(d().key, (x) => ({ ...x, goal: { ...x.goal, name: v } }))} />
                    <FormField id={`experiment-${d().key}-goal-prop`} label="Goal prop (optional)" value={d().goal.prop} error={err(`${d().key}:goal-prop`)} onInput={(v) => update(d().key, (x) => ({ ...x, goal: { ...x.goal, prop: v } }))} />
                    <FormField id={`experiment-${d().key}-goal-value`} label="equals" value={d().goal.value} onInput={(v) => update(d().key, (x) => ({ ...x, goal: { ...x.goal, value: v } }))} />
                  </div>
                  <Show when={Object.keys(d().goal.extra).length > 0}>
                    <p class="rule-hint">The goal also matches {propsText(d().goal.extra)}, as stored.</p>
                  </Show>
                  <div class="rule-actions">
                    <button type="button" class="button button-small" onClick={() => update(d().key, () => null)} data-testid="experiment-remove">
                      Remove
                    </button>
                  </div>
                </fieldset>
              )}
            </Index>
            <Show when={err("list")}>
              <p class="rule-error" role="alert">
                {err("list")}
              </p>
            </Show>
            <div class="rule-actions">
              <button type="button" class="button button-small" onClick={() => setDrafts([...list(), newExperimentDraft(unconfigured()[0] ?? "")])} data-testid="experiment-add">
                Add experiment
              </button>
            </div>
            <Show when={saver.admin.token() === null}>
              <label for={TOKEN_FIELD}>Admin token of this workspace</label>
              <input id={TOKEN_FIELD} name={TOKEN_FIELD} type="password" autocomplete="off" spellcheck={false} placeholder="tly_a_…" data-testid={TOKEN_FIELD} />
            </Show>
            <div class="rule-actions">
              <button type="submit" class="button" disabled={saver.saving()} data-testid="experiments-save">
                {saver.saving() ? "Saving…" : "Save experiment settings"}
              </button>
              <button type="button" class="button button-small" onClick={() => (setDrafts(null), setErrors(new Map()))} data-testid="experiments-cancel">
                Cancel
              </button>
            </div>
          </form>
        )}
      </Show>
    </div>
  );
}
