/**
 * The workspace's funnels, for everyone to read and for admins to change:
 * each funnel's ordered steps (an event name, optionally one prop equal to a
 * value) and its window. Editing asks for the admin token as the other admin
 * forms do; the list is checked with the shared schema before anything is
 * sent, and a change made elsewhere meanwhile is reported, not replaced.
 */
import { createSignal, For, Index, Show, type JSX } from "solid-js";
import type { KnownWorkspace } from "../data/api.ts";
import type { ProductConfig } from "../views/product-edge.ts";
import { funnelDraft, funnelErrors, matchText, newFunnelDraft, propsText, stepDraft, validateFunnels, type FormErrors, type FunnelDraft, type StepDraft } from "../views/product-form.ts";
import { createProductSave } from "../views/product-save.ts";
import { FormField } from "./funnel-field.tsx";
import { Notice } from "./notice.tsx";

export interface FunnelEditorProps {
  workspace: KnownWorkspace;
  /** The settings as the view shows them; null before the first read. */
  config: ProductConfig | null;
  onSaved(config: ProductConfig): void;
}

const TOKEN_FIELD = "funnels-admin-token";

function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

export function FunnelEditor(props: FunnelEditorProps): JSX.Element {
  const [drafts, setDrafts] = createSignal<FunnelDraft[] | null>(null);
  const [base, setBase] = createSignal(0);
  const [errors, setErrors] = createSignal<FormErrors>(new Map());
  const saver = createProductSave(() => props.workspace, (c) => props.onSaved(c));

  const start = (config: ProductConfig | null = props.config) => {
    if (config === null) return;
    saver.admin.reload();
    setDrafts(config.funnels.map(funnelDraft));
    setBase(config.versions.funnels);
    setErrors(new Map());
  };
  const update = (key: number, change: (d: FunnelDraft) => FunnelDraft | null) => setDrafts((list) => (list ?? []).flatMap((d) => (d.key !== key ? [d] : (change(d) ?? []))));
  const updateStep = (d: FunnelDraft, stepKey: number, change: (s: StepDraft) => StepDraft) => ({ ...d, steps: d.steps.map((s) => (s.key === stepKey ? change(s) : s)) });

  const save = (e: SubmitEvent) =>
    saver.submit(e, {
      key: "funnels",
      tokenField: TOKEN_FIELD,
      drafts: drafts(),
      baseVersion: base(),
      validate: validateFunnels,
      issuesToErrors: funnelErrors,
      setErrors,
      close: () => setDrafts(null),
      restart: (config) => start(config ?? props.config),
    });

  const err = (id: string) => errors().get(id);

  return (
    <div class="product-settings" data-testid="funnel-editor">
      <Show when={drafts() === null}>
        <Show when={(props.config?.funnels.length ?? 0) > 0} fallback={<p class="panel-description">No funnel is defined for this workspace yet.</p>}>
          <ul class="product-definitions" data-testid="funnel-definitions">
            <For each={props.config!.funnels}>
              {(f) => (
                <li>
                  <span class="product-name">{f.name}</span>
                  <span class="rule-detail">
                    {" "}
                    · {f.steps.map(matchText).join(" → ")} · within {f.window_hours} h
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <div class="rule-actions">
          <button type="button" class="button" disabled={props.config === null} onClick={() => (saver.setNotice(null), start())} data-testid="funnels-edit">
            Edit funnels
          </button>
          <span class="rule-hint">Needs the workspace's admin token; a share link can only read them.</span>
        </div>
      </Show>
      <Notice notice={saver.notice()} testId="funnels-notice" />
      <Show when={drafts()}>
        {(list) => (
          <form class="rules-form" onSubmit={(e) => void save(e)} aria-busy={saver.saving()} data-testid="funnels-form">
            <p class="rule-hint">
              Editing version {base()} of the funnels. Names and values are matched exactly as sent, as text (200 and "200" are the same).
            </p>
            {/* by position: each keystroke makes a new draft, and re-creating its fields would lose focus */}
            <Index each={list()}>
              {(d, i) => (
                <fieldset class="rule-form" data-testid="funnel-form">
                  <legend>{d().name.trim() || `Funnel ${i + 1}`}</legend>
                  <div class="rule-grid">
                    <FormField id={`funnel-${d().key}-name`} label="Name" value={d().name} error={err(`${d().key}:name`)} onInput={(v) => update(d().key, (x) => ({ ...x, name: v }))} />
                    <FormField
                      id={`funnel-${d().key}-window`}
                      label="Window (hours)"
                      inputmode="decimal"
                      value={d().window_hours}
                      error={err(`${d().key}:window_hours`)}
                      onInput={(v) => update(d().key, (x) => ({ ...x, window_hours: v }))}
                    />
                  </div>
                  <ol class="funnel-steps">
                    <Index each={d().steps}>
                      {(s, j) => (
                        <li class="funnel-step" data-testid="funnel-step">
                          <div class="rule-grid">
                            <FormField
                              id={`funnel-${d().key}-step-${s().key}-name`}
                              label={`Step ${j + 1}: event name`}
                              value={s().name}
                              error={err(`${d().key}:step-${s().key}-name`)}
                              onInput={(v) => update(d().key, (x) => updateStep(x, s().key, (y) => ({ ...y, name: v })))}
                            />
                            <FormField
                              id={`funnel-${d().key}-step-${s().key}-prop`}
                              label="Prop (optional)"
                              value={s().prop}
                              error={err(`${d().key}:step-${s().key}-prop`)}
                              onInput={(v) => update(d().key, (x) => updateStep(x, s().key, (y) => ({ ...y, prop: v })))}
                            />
                            <FormField
                              id={`funnel-${d().key}-step-${s().key}-value`}
                              label="equals"
                              value={s().value}
                              onInput={(v) => update(d().key, (x) => updateStep(x, s().key, (y) => ({ ...y, value: v })))}
                            />
                          </div>
                          <Show when={Object.keys(s().extra).length > 0}>
                            <p class="rule-hint">Also matches {propsText(s().extra)}, as stored.</p>
                          </Show>
                          <div class="rule-actions">
                            <button type="button" class="button button-small" disabled={j === 0} onClick={() => update(d().key, (x) => ({ ...x, steps: move(x.steps, j, j - 1) }))} aria-label={`Move step ${j + 1} up`}>
                              ↑
                            </button>
                            <button type="button" class="button button-small" disabled={j === d().steps.length - 1} onClick={() => update(d().key, (x) => ({ ...x, steps: move(x.steps, j, j + 1) }))} aria-label={`Move step ${j + 1} down`}>
                              ↓
                            </button>
                            <button type="button" class="button button-small" onClick={() => update(d().key, (x) => ({ ...x, steps: x.steps.filter((y) => y.key !== s().key) }))} aria-label={`Remove step ${j + 1}`}>
                              Remove step
                            </button>
                          </div>
                        </li>
                      )}
                    </Index>
                  </ol>
                  <Show when={err(`${d().key}:steps`)}>
                    <p class="rule-error" role="alert">
                      {err(`${d().key}:steps`)}
                    </p>
                  </Show>
                  <div class="rule-actions">
                    <button type="button" class="button button-small" onClick={() => update(d().key, (x) => ({ ...x, steps: [...x.steps, stepDraft()] }))} data-testid="funnel-add-step">
                      Add step
                    </button>
                    <button type="button" class="button button-small" onClick={() => update(d().key, () => null)} data-testid="funnel-remove">
                      Remove funnel
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
              <button type="button" class="button button-small" onClick={() => setDrafts([...list(), newFunnelDraft()])} data-testid="funnel-add">
                Add funnel
              </button>
            </div>
            <Show when={saver.admin.token() === null}>
              <label for={TOKEN_FIELD}>Admin token of this workspace</label>
              <input id={TOKEN_FIELD} name={TOKEN_FIELD} type="password" autocomplete="off" spellcheck={false} placeholder="tly_a_…" data-testid={TOKEN_FIELD} />
            </Show>
            <div class="rule-actions">
              <button type="submit" class="button" disabled={saver.saving()} data-testid="funnels-save">
                {saver.saving() ? "Saving…" : "Save funnels"}
              </button>
              <button type="button" class="button button-small" onClick={() => (setDrafts(null), setErrors(new Map()))} data-testid="funnels-cancel">
                Cancel
              </button>
            </div>
          </form>
        )}
      </Show>
    </div>
  );
}
