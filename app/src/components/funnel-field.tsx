/**
 * One labelled input of the funnel and experiment forms, with its message
 * under it (announced as an alert, tied to the input by aria-describedby)
 * and a red border while it has one.
 */
import { Show, type JSX } from "solid-js";

export interface FormFieldProps {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  error?: string | undefined;
  placeholder?: string;
  inputmode?: "text" | "decimal";
  /** Id of a datalist of known values (experiments, variants seen). */
  list?: string;
}

export function FormField(props: FormFieldProps): JSX.Element {
  return (
    <label class="rule-field" classList={{ "rule-field-bad": props.error !== undefined }} for={props.id}>
      <span>{props.label}</span>
      <input
        id={props.id}
        value={props.value}
        placeholder={props.placeholder}
        inputmode={props.inputmode ?? "text"}
        list={props.list}
        spellcheck={false}
        autocomplete="off"
        aria-invalid={props.error !== undefined}
        aria-describedby={props.error !== undefined ? `${props.id}-error` : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        data-testid={props.id}
      />
      <Show when={props.error}>
        <span id={`${props.id}-error`} class="rule-error" role="alert">
          {props.error}
        </span>
      </Show>
    </label>
  );
}
