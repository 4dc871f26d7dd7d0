/**
 * Filters on any prop, `name = value`: the ones set, each removable, and a
 * small form to add one. Names and values are whatever senders put in their
 * events, so they are only ever rendered as text.
 */
import { createSignal, For, Show, type JSX } from "solid-js";

export interface PropFiltersProps {
  filters: Array<[string, string]>;
  onChange: (filters: Array<[string, string]>) => void;
}

export function PropFilters(props: PropFiltersProps): JSX.Element {
  const [adding, setAdding] = createSignal(false);
  let nameInput!: HTMLInputElement;
  let valueInput!: HTMLInputElement;

  const add = (e: SubmitEvent) => {
    e.preventDefault();
    const name = nameInput.value.trim();
    const value = valueInput.value.trim();
    if (name === "" || value === "") return;
    props.onChange([...props.filters.filter(([n, v]) => !(n === name && v === value)), [name, value]]);
    setAdding(false);
  };

  return (
    <div class="prop-filters">
      <For each={props.filters}>
        {([name, value], i) => (
          <span class="chip" data-testid="prop-filter">
            <span class="chip-text">
              {name} = {value}
            </span>
            <button
              type="button"
              class="chip-remove"
              aria-label={`Remove filter ${name} = ${value}`}
              onClick={() => props.onChange(props.filters.filter((_, j) => j !== i()))}
            >
              ×
            </button>
          </span>
        )}
      </For>
      <Show
        when={adding()}
        fallback={
          <button type="button" class="button button-small" onClick={() => setAdding(true)} data-testid="add-prop-filter">
            + Prop filter
          </button>
        }
      >
        <form class="prop-form" onSubmit={add}>
          <label class="visually-hidden" for="prop-filter-name">
            Prop name
          </label>
          <input id="prop-filter-name" ref={nameInput} placeholder="prop, e.g. scenario" autocomplete="off" required />
          <span aria-hidden="true">=</span>
          <label class="visually-hidden" for="prop-filter-value">
            Value
          </label>
          <input id="prop-filter-value" ref={valueInput} placeholder="value" autocomplete="off" required />
          <button type="submit" class="button button-small button-primary">
            Add
          </button>
          <button type="button" class="button button-small" onClick={() => setAdding(false)}>
            Cancel
          </button>
        </form>
      </Show>
    </div>
  );
}
