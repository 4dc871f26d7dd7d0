/**
 * The time range: preset buttons (1h, 24h, 7d, 30d, all) and a custom
 * from/to in the person's local time. Presets are toggle buttons with
 * aria-pressed; the custom range applies on submit, so typing a date does not
 * run every panel on each keystroke.
 */
import { createSignal, For, Show, type JSX } from "solid-js";
import { PRESET_LABELS, RANGE_PRESETS, type RangeState } from "../routing/time-range.ts";
import { formatDateTime } from "./format.ts";

export interface RangePickerProps {
  range: RangeState;
  onChange: (range: RangeState) => void;
}

const SHORT: Record<(typeof RANGE_PRESETS)[number], string> = { "1h": "1h", "24h": "24h", "7d": "7d", "30d": "30d", all: "All" };

/** epoch ms → the value a datetime-local input shows (local time, minutes). */
function toLocalInput(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function RangePicker(props: RangePickerProps): JSX.Element {
  const isCustom = () => !("preset" in props.range);
  const [open, setOpen] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  let fromInput!: HTMLInputElement;
  let toInput!: HTMLInputElement;

  const initial = () => {
    const r = props.range;
    if ("from" in r) return { from: toLocalInput(r.from), to: toLocalInput(r.to) };
    const now = Date.now();
    return { from: toLocalInput(now - 24 * 3_600_000), to: toLocalInput(now) };
  };

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    // datetime-local values carry no zone: new Date() reads them as local time, as shown
    const from = new Date(fromInput.value).getTime();
    const to = new Date(toInput.value).getTime();
    if (!Number.isFinite(from) || !Number.isFinite(to)) return setProblem("Enter both a start and an end.");
    if (from >= to) return setProblem("The start must be before the end.");
    setProblem(null);
    setOpen(false);
    props.onChange({ from, to });
  };

  return (
    <div class="range-picker">
      <div class="segmented" role="group" aria-label="Time range">
        <For each={RANGE_PRESETS}>
          {(preset) => (
            <button
              type="button"
              class="segment"
              aria-pressed={"preset" in props.range && props.range.preset === preset}
              title={PRESET_LABELS[preset]}
              onClick={() => {
                setOpen(false);
                props.onChange({ preset });
              }}
              data-testid={`range-${preset}`}
            >
              {SHORT[preset]}
            </button>
          )}
        </For>
        <button type="button" class="segment" aria-pressed={isCustom()} aria-expanded={open()} onClick={() => setOpen(!open())} data-testid="range-custom">
          Custom
        </button>
      </div>
      <Show when={!open() && "from" in props.range && props.range}>
        {(r) => (
          <span class="range-text" data-testid="range-text">
            {formatDateTime(r().from)} – {formatDateTime(r().to)}
          </span>
        )}
      </Show>
      <Show when={open()}>
        <form class="custom-range" onSubmit={apply} data-testid="custom-range">
          <label>
            From
            <input type="datetime-local" ref={fromInput} value={initial().from} required />
          </label>
          <label>
            To
            <input type="datetime-local" ref={toInput} value={initial().to} required />
          </label>
          <button type="submit" class="button button-small button-primary">
            Apply
          </button>
          <Show when={problem()}>
            <span class="form-problem" role="alert">
              {problem()}
            </span>
          </Show>
        </form>
      </Show>
    </div>
  );
}
