import { expect, it } from "vitest";
import { createWorkspace, ingest, pull, requestEvent } from "./helpers.ts";
it("round trip", async () => {
  const ws = await createWorkspace();
  const r = await ingest(ws.workspace.id, ws.tokens.write.token, { events: [requestEvent(), requestEvent()] });
  expect(r.accepted).toBe(2);
  const p = await pull(ws.workspace.id, ws.tokens.read.token);
  expect(p.events.length).toBe(2);
});
