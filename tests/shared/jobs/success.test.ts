// The success rate's rules: which statuses succeed, which jobs have an
// outcome (not in progress, not cancelled, with a status), and how they read.
import { describe, expect, it } from "vitest";
import { jobsFromEvents, outcomeOf } from "../../../shared/jobs/index.ts";
import { job } from "./fixtures.ts";

const T0 = Date.UTC(2026, 10, 20);
const rate = (statuses: Array<string | null>) => {
  const r = jobsFromEvents(statuses.map((status, i) => job(T0 + i, status === null ? {} : { status })));
  return [r.summary.succeeded, r.summary.finished, r.summary.successRate];
};

describe("success rate", () => {
  it("counts succeeded, success, completed and passed as successes", () => {
    expect(rate(["succeeded", "success", "completed", "passed", "failed"])).toEqual([4, 5, 0.8]);
  });

  it("takes lower case, UPPER case and Capitalized spellings", () => {
    expect(rate(["SUCCEEDED", "Completed", "Passed", "FAILED"])).toEqual([3, 4, 0.75]);
    expect(rate(["RUNNING", "Cancelled", "Succeeded"])).toEqual([1, 1, 1]);
  });

  it("leaves jobs in progress, cancelled jobs and jobs without a status out of the rate", () => {
    expect(rate(["succeeded", "failed", "running", "queued", "pending", "processing", "started", "cancelled", "canceled", null])).toEqual([1, 2, 0.5]);
  });

  it("counts any other status as a finished job that did not succeed", () => {
    expect(rate(["error", "blocked", "timeout", "aborted", "delivered"])).toEqual([0, 5, 0]);
  });

  it("is undefined when no job finished", () => {
    expect(rate(["running", "cancelled"])).toEqual([0, 0, NaN]);
    expect(rate([])).toEqual([0, 0, NaN]);
  });

  it("names the same outcome in the status table as in the rate", () => {
    expect(["succeeded", "Success", "COMPLETED", "running", "Canceled", "failed", "SuCcEsS"].map(outcomeOf)).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
      "in-progress",
      "cancelled",
      "failed",
      "failed",
    ]);
    expect(outcomeOf(null)).toBe("unknown");
    expect(rate(["SuCcEsS"])).toEqual([0, 1, 0]);
  });

  it("reads numeric statuses as text, never as a success", () => {
    const r = jobsFromEvents([job(T0, { status: 0 }), job(T0 + 1, { status: "succeeded" })]);
    expect([r.summary.succeeded, r.summary.finished]).toEqual([1, 2]);
  });
});
