// The real posthog-node SDK, pointed at `wrangler dev` with a Tally write token as
// its API key and no other change, posts events Tally stores as track events: with
// the user, props, uuids and times the SDK was given; gzipped (its default) or not.
// A key Tally does not know reaches the SDK as an error, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PostHog } from "posthog-node";
import type { StoredEvent } from "../../shared/event.ts";
import { startWranglerDev, type DevServer } from "../support/wrangler-dev.ts";
import { pullAll, seedWorkspace, type SeededWorkspace } from "./fixtures.ts";

const ADMIN = "e2e-admin-secret-posthog-0123456789";

describe("posthog-node against wrangler dev", () => {
  let server: DevServer;
  let ws: SeededWorkspace;

  beforeAll(async () => {
    // with the built app as assets (npm test builds it), as deployed: a POST to /batch/ must get
    // past the asset layer, which answers 405 to paths it serves unless wrangler.toml routes them to the Worker
    server = await startWranglerDev({ label: "e2e-posthog", config: "wrangler.toml", database: "tally", vars: { TALLY_ADMIN_SECRET: ADMIN } });
    ws = await seedWorkspace(server.url, ADMIN, []);
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** A client as its README shows, only the host and key changed; errors are collected, not logged. */
  function client(apiKey: string, options: { disableCompression?: boolean } = {}): { posthog: PostHog; errors: unknown[] } {
    const posthog = new PostHog(apiKey, { host: server.url, flushAt: 2, flushInterval: 0, fetchRetryCount: 0, ...options });
    const errors: unknown[] = [];
    posthog.on("error", (e) => errors.push(e));
    return { posthog, errors };
  }

  function tracks(events: StoredEvent[], name: string): StoredEvent[] {
    return events.filter((e) => e.type === "track" && e.name === name);
  }

  it("stores what the SDK captures, gzipped or not, as track events", async () => {
    const when = new Date(Date.now() - 3_600_000);
    const gzipped = client(ws.write);
    gzipped.posthog.capture({ distinctId: "alice", event: "signed up", properties: { plan: "pro", seats: 3, beta: true, nested: { x: 1 } }, uuid: "0193f5b2-aaaa-7000-8000-000000000001", timestamp: when });
    gzipped.posthog.capture({ distinctId: "bob", event: "signed up", properties: { plan: "free", $current_url: "https://shop.example/join?ref=ad" } });
    gzipped.posthog.capture({ distinctId: "alice", event: "checkout started", properties: { items: 2 } });
    await gzipped.posthog.shutdown();

    const plain = client(ws.write, { disableCompression: true });
    plain.posthog.capture({ distinctId: "carol", event: "checkout started", properties: { items: 5 }, uuid: "0193f5b2-aaaa-7000-8000-000000000002" });
    await plain.posthog.shutdown();
    expect([...gzipped.errors, ...plain.errors]).toEqual([]);

    const events = await pullAll(server.url, ws.id, ws.read);
    expect(events.every((e) => e.type === "track")).toBe(true);
    const signups = tracks(events, "signed up");
    expect(signups.map((e) => e.props)).toEqual([
      { plan: "pro", seats: 3, beta: true, user: "alice" },
      { plan: "free", path: "/join", user: "bob" },
    ]);
    expect(signups[0]!.id).toBe("0193f5b2-aaaa-7000-8000-000000000001");
    // sent_at skew correction is a no-op on one clock: the given time comes back to the second
    expect(Math.abs(signups[0]!.ts - when.getTime())).toBeLessThan(1_000);
    // the SDK gives every event a uuid, so Tally keeps the SDK's ids
    expect(signups[1]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const checkouts = tracks(events, "checkout started");
    expect(checkouts.map((e) => e.props).sort((a, b) => String(a["user"]).localeCompare(String(b["user"])))).toEqual([
      { items: 2, user: "alice" },
      { items: 5, user: "carol" },
    ]);
    expect(checkouts.find((e) => e.props["user"] === "carol")!.id).toBe("0193f5b2-aaaa-7000-8000-000000000002");
    expect(events).toHaveLength(4);
    expect(JSON.stringify(events)).not.toContain(ws.write);
  });

  it("re-sent events are stored once", async () => {
    const before = (await pullAll(server.url, ws.id, ws.read)).length;
    for (let i = 0; i < 2; i++) {
      const again = client(ws.write);
      again.posthog.capture({ distinctId: "dave", event: "retried", uuid: "0193f5b2-aaaa-7000-8000-000000000003" });
      again.posthog.capture({ distinctId: "dave", event: "retried", uuid: "0193f5b2-aaaa-7000-8000-000000000004" });
      await again.posthog.shutdown();
      expect(again.errors).toEqual([]);
    }
    const events = await pullAll(server.url, ws.id, ws.read);
    expect(events.length - before).toBe(2);
    expect(tracks(events, "retried").map((e) => e.id)).toEqual(["0193f5b2-aaaa-7000-8000-000000000003", "0193f5b2-aaaa-7000-8000-000000000004"]);
  });

  it("reports an unknown key to the SDK as an error and stores nothing", async () => {
    const before = (await pullAll(server.url, ws.id, ws.read)).length;
    // the SDK logs a failed flush with the response body: what its user would read
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const stranger = client(`tly_w_${"Z".repeat(32)}`);
      stranger.posthog.capture({ distinctId: "eve", event: "intrusion" });
      stranger.posthog.capture({ distinctId: "eve", event: "intrusion" });
      await stranger.posthog.shutdown();
      expect(stranger.errors.length).toBeGreaterThan(0);
      expect((stranger.errors[0] as { status?: number }).status).toBe(401);
      await vi.waitFor(() => expect(logged.mock.calls.map((c) => String(c[0])).join("\n")).toContain("unknown API key"));
    } finally {
      logged.mockRestore();
    }
    expect((await pullAll(server.url, ws.id, ws.read)).length).toBe(before);
  });
});
