/**
 * One alert rule's fields in the rules editor: the common ones, then those
 * of its type (views/chaos-rules-form.ts TYPE_FIELDS). Every field is a
 * labelled native control, so it is reachable and usable by keyboard; a
 * message from the shared schema or the edge shows under the field it names
 * and is tied to it with aria-describedby.
 */
import { For, Show, type JSX } from "solid-js";
import { ALERT_RULE_TYPES, ALERT_SEVERITIES } from "../../../shared/alerts/rule.ts";
import { EVENT_TYPES } from "../../../shared/event.ts";
import { THRESHOLD_UNITS, TYPE_FIELDS, TYPE_LABELS, type DraftField, type RuleDraft } from "../views/chaos-rules-form.ts";

export interface RuleFormProps {
  draft: RuleDraft;
  errors: Map<DraftField | "", string> | undefined;
  onChange(draft: RuleDraft): void;
  onRemove(): void;
}

interface FieldProps {
  props: RuleFormProps;
  field: DraftField;
  label: string;
  hint?: string;
  children: (attrs: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined; "data-testid": string }) => JSX.Element;
}

function Field(f: FieldProps): JSX.Element {
  const id = () => `rule-${f.props.draft.key}-${f.field}`;
  const error = () => f.props.errors?.get(f.field);
  return (
    <div class="rule-field" classList={{ "rule-field-bad": error() !== undefined }}>
      <label for={id()}>{f.label}</label>
      {f.children({ id: id(), "aria-invalid": error() !== undefined, "aria-describedby": error() !== undefined ? `${id()}-error` : undefined, "data-testid": `rule-field-${f.field}` })}
      <Show when={f.hint}>
        <span class="rule-hint">{f.hint}</span>
      </Show>
      <Show when={error()}>
        <span class="rule-error" id={`${id()}-error`} data-testid={`rule-error-${f.field}`}>
          {error()}
        </span>
      </Show>
    </div>
  );
}

export function RuleForm(props: RuleFormProps): JSX.Element {
  const set = <K extends DraftField>(field: K, value: RuleDraft[K]) => props.onChange({ ...props.draft, [field]: value });
  const has = (field: DraftField) => TYPE_FIELDS[props.draft.type].includes(field);
  const text = (field: DraftField, label: string, hint?: string, inputMode?: "decimal" | "numeric" | "url") => (
    <Field props={props} field={field} label={label} hint={hint}>
      {(attrs) => <input {...attrs} type="text" inputmode={inputMode} value={String(props.draft[field])} onInput={(e) => set(field, e.currentTarget.value as never)} />}
    </Field>
  );
  const select = <K extends DraftField>(field: K, label: string, options: readonly string[], labels?: Record<string, string>) => (
    <Field props={props} field={field} label={label}>
      {(attrs) => (
        <select {...attrs} value={String(props.draft[field])} onChange={(e) => set(field, e.currentTarget.value as RuleDraft[K])}>
          {/* selected per option: a select's value set before its options exist would not stick */}
          <For each={options}>
            {(o) => (
              <option value={o} selected={String(props.draft[field]) === o}>
                {labels?.[o] ?? o}
              </option>
            )}
          </For>
        </select>
      )}
    </Field>
  );
  return (
    <fieldset class="rule-form" data-testid={`rule-form-${props.draft.key}`}>
      <legend>{props.draft.name.trim() || props.draft.id || "New rule"}</legend>
      <Show when={props.errors?.get("")}>
        <p class="rule-error" role="alert">
          {props.errors?.get("")}
        </p>
      </Show>
      <div class="rule-grid">
        {text("name", "Name")}
        {text("id", "Id", "Alert history refers to it")}
        {select("type", "Type", ALERT_RULE_TYPES, TYPE_LABELS)}
        {select("severity", "Severity", ALERT_SEVERITIES)}
        {text("threshold", "Threshold", THRESHOLD_UNITS[props.draft.type], "decimal")}
        {text("window_minutes", "Window (minutes)", "1 to 10080", "numeric")}
        <Show when={has("event_type")}>{select("event_type", "Event type", EVENT_TYPES)}</Show>
        <Show when={has("direction")}>{select("direction", "Fires when", ["above", "below"])}</Show>
        <Show when={has("percentile")}>{select("percentile", "Percentile", ["p50", "p95", "p99"])}</Show>
        <Show when={has("endpoint")}>{text("endpoint", "Endpoint", "As in the endpoint prop, e.g. /users/{id}")}</Show>
        <Show when={has("method")}>{text("method", "Method", "Optional, e.g. POST")}</Show>
        <Show when={has("baseline_minutes")}>{text("baseline_minutes", "Baseline (minutes)", "The reference window before the rule's", "numeric")}</Show>
        {text("webhook_url", "Webhook URL", "Optional; https:// (http:// only to localhost)", "url")}
        <Field props={props} field="filters" label="Filters (JSON)" hint='Optional, e.g. [{"dim":{"prop":"env"},"in":["prod"]}]'>
          {(attrs) => <textarea {...attrs} rows={2} value={props.draft.filters} onInput={(e) => set("filters", e.currentTarget.value)} />}
        </Field>
      </div>
      <div class="rule-actions">
        <label class="rule-enabled">
          <input type="checkbox" checked={props.draft.enabled} onChange={(e) => set("enabled", e.currentTarget.checked)} data-testid="rule-field-enabled" /> Enabled
        </label>
        <button type="button" class="button button-small" onClick={() => props.onRemove()} data-testid="rule-remove">
          Delete rule
        </button>
      </div>
    </fieldset>
  );
}
