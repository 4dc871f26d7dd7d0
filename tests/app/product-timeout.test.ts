// The Product view's settings fetch on a hanging network: once it has gone
// unanswered for the timeout the view says it is offline (the report already
// runs on defaults meanwhile); an answer in time, or a failure, stops the timer.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PRODUCT_CONFIG_TIMEOUT_MS, whenSlow } from "../../app/src/views/product-edge.ts";

describe("whenSlow", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("calls slow once a fetch has hung for the timeout", async () => {
    const slow = vi.fn();
    whenSlow(new Promise(() => {}), PRODUCT_CONFIG_TIMEOUT_MS, slow);
    await vi.advanceTimersByTimeAsync(PRODUCT_CONFIG_TIMEOUT_MS - 1);
    expect(slow).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(slow).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(PRODUCT_CONFIG_TIMEOUT_MS * 3);
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it("never calls slow for an answer or a failure in time, or once cancelled", async () => {
    const slow = vi.fn();
    whenSlow(Promise.resolve(1), 100, slow);
    whenSlow(Promise.reject(new Error("refused")), 100, slow);
    const cancel = whenSlow(new Promise(() => {}), 100, slow);
    cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(slow).not.toHaveBeenCalled();
  });
});
