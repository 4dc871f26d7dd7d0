// The alert rule schema: defaults, and one row per way a rule can be wrong, with its path.
import { describe, expect, it } from "vitest";
import { alertRule, validateAlertRule, validateAlertRules } from "../../shared/alerts.ts";

const base = { id: "r1", name: "Slow checkout", severity: "warning", window_minutes: 5 };
const latency = { ...base, type: "latency", threshold: 500 };

describe("alertRule", () => {
  it.each([
    ["event_rate", { threshold: 10 }, { event_type: "request", direction: "above" }],
    ["latency", { threshold: 500 }, { percentile: "p95" }],
    ["fault_rate", { threshold: 0.2 }, {}],
    ["rate_limit", { threshold: 0.05 }, {}],
    ["endpoint", { threshold: 0.1, endpoint: "/users/{id}" }, {}],
    ["impact", { threshold: 50 }, { baseline_minutes: 1440 }],
  ])("accepts a minimal %s rule and fills its defaults", (type, fields, defaults) => {
    const input = { ...base, type, ...fields };
    expect(validateAlertRule(input)).toEqual({ ok: true, value: { ...input, enabled: true, ...defaults } });
  });

  it("keeps everything a full rule says", () => {
    const full = {
      ...base,
      type: "event_rate",
      threshold: 1,
      event_type: "test",
      direction: "below",
      enabled: false,
      webhook_url: "https://hooks.example.com/tally?x=1",
      filters: [
        { dim: { prop: "env" }, in: ["prod"] },
        { dim: { field: "name" }, notIn: ["GET /health", 7, true] },
        { dim: { prop: "latency_ms" }, min: 0, max: 100 },
      ],
    };
    expect(alertRule.parse(full)).toEqual(full);
  });

  it.each([
    "https://hooks.slack.com/services/T0/B0/x",
    "http://localhost:8787/hook",
    "http://localhost",
    "http://127.0.0.1:9000/a",
    "http://[::1]:9000/",
  ])("accepts the webhook %s", (webhook_url) => {
    expect(validateAlertRule({ ...latency, webhook_url }).ok).toBe(true);
  });

  it.each([
    ["negative latency", { ...latency, threshold: -1 }, "threshold", "must be 0 or more"],
    ["fault rate over 1", { ...latency, type: "fault_rate", threshold: 1.5 }, "threshold", /between 0 and 1/],
    ["rate limit share over 1", { ...latency, type: "rate_limit", threshold: 2 }, "threshold", /between 0 and 1/],
    ["endpoint error rate under 0", { ...latency, type: "endpoint", endpoint: "/x", threshold: -0.1 }, "threshold", /between 0 and 1/],
    ["impact over 100", { ...latency, type: "impact", threshold: 101 }, "threshold", /between 0 and 100/],
    ["threshold as text", { ...latency, threshold: "500" }, "threshold", "must be a number"],
    ["threshold missing", { ...base, type: "latency" }, "threshold", "required"],
    ["unknown type", { ...latency, type: "cpu" }, "type", /must be one of event_rate, latency, fault_rate/],
    ["type missing", { ...base, threshold: 1 }, "type", /must be one of/],
    ["http webhook elsewhere", { ...latency, webhook_url: "http://hooks.example.com/x" }, "webhook_url", /http:\/\/ is allowed only for localhost/],
    ["localhost look-alike", { ...latency, webhook_url: "http://localhost.evil.example/x" }, "webhook_url", /only for localhost/],
    ["localhost as user name", { ...latency, webhook_url: "http://localhost@evil.example/x" }, "webhook_url", /only for localhost/],
    ["webhook not a URL", { ...latency, webhook_url: "hooks.example.com" }, "webhook_url", "must be an https:// URL"],
    ["ftp webhook", { ...latency, webhook_url: "ftp://example.com/x" }, "webhook_url", "must be an https:// URL"],
    ["window 0", { ...latency, window_minutes: 0 }, "window_minutes", /between 1 and 10080/],
    ["window over a week", { ...latency, window_minutes: 10081 }, "window_minutes", /between 1 and 10080/],
    ["fractional window", { ...latency, window_minutes: 1.5 }, "window_minutes", /whole number/],
    ["unknown severity", { ...latency, severity: "fatal" }, "severity", /info, warning, critical/],
    ["empty id", { ...latency, id: "" }, "id", "must not be empty"],
    ["blank name", { ...latency, name: "  " }, "name", "must not be empty"],
    ["endpoint missing", { ...latency, type: "endpoint", threshold: 0.1 }, "endpoint", "required"],
    ["percentile p90", { ...latency, percentile: "p90" }, "percentile", /p50, p95 or p99/],
    ["direction sideways", { ...latency, type: "event_rate", direction: "sideways" }, "direction", /above or below/],
    ["event type unknown", { ...latency, type: "event_rate", event_type: "click" }, "event_type", /must be one of request/],
    ["misspelt field", { ...latency, thresold: 5 }, "thresold", "unknown field"],
    ["field of another type", { ...latency, endpoint: "/x" }, "endpoint", "unknown field"],
    ["filters not a list", { ...latency, filters: "env=prod" }, "filters", /array of filters/],
    ["filter values not a list", { ...latency, filters: [{ dim: { prop: "env" }, in: "prod" }] }, "filters[0].in", /array of values/],
    ["filter of two kinds", { ...latency, filters: [{ dim: { prop: "env" }, in: ["a"], notIn: ["b"] }] }, "filters[0]", /one of in, notIn, or min\/max/],
    ["filter on an empty prop", { ...latency, filters: [{ dim: { prop: "" }, in: ["a"] }] }, "filters[0].dim.prop", "must not be empty"],
    ["filter bound as text", { ...latency, filters: [{ dim: { prop: "ms" }, min: "3" }] }, "filters[0].min", "must be a number"],
    ["not an object", "latency > 500", "", "must be an object"],
  ])("rejects %s", (_, input, path, message) => {
    const result = validateAlertRule(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it("accepts thresholds at the ends of their ranges", () => {
    for (const [type, threshold] of [["fault_rate", 0], ["fault_rate", 1], ["impact", 100], ["latency", 0]] as const) {
      expect(validateAlertRule({ ...latency, type, threshold }).ok).toBe(true);
    }
  });
});

describe("validateAlertRules", () => {
  it("rejects duplicate ids at the second one", () => {
    const result = validateAlertRules([latency, { ...latency, name: "again" }, { ...latency, id: "r2" }]);
    expect(result).toEqual({ ok: false, issues: [{ path: "[1].id", message: 'duplicate rule id "r1"' }] });
  });

  it("names the index of a bad rule", () => {
    const result = validateAlertRules([latency, { ...latency, id: "r2", threshold: -5 }]);
    expect(result).toEqual({ ok: false, issues: [{ path: "[1].threshold", message: "must be 0 or more" }] });
  });

  it("accepts an empty list", () => {
    expect(validateAlertRules([])).toEqual({ ok: true, value: [] });
  });
});
