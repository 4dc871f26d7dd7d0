// Forgetting a workspace removes what the views kept of it outside IndexedDB,
// and nothing of other workspaces or other apps.
import { describe, expect, it } from "vitest";
import { forgetKeptCopies } from "../../app/src/views/kept-copies.ts";

class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  keys(): string[] {
    return [...this.map.keys()].sort();
  }
}

describe("forgetKeptCopies", () => {
  it("removes the workspace's config copies and admin token, keeping other workspaces' and other apps' entries", () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    for (const key of ["tally:coverage-config:ws_a", "tally:alert-rules:ws_a", "tally:alerts:ws_a", "tally:coverage-config:ws_b", "tally:alerts:ws_aa", "other:ws_a"]) local.setItem(key, "{}");
    session.setItem("tally:admin-token:ws_a", "tly_a_x");
    session.setItem("tally:admin-token:ws_b", "tly_a_y");
    forgetKeptCopies("ws_a", [local, session]);
    expect(local.keys()).toEqual(["other:ws_a", "tally:alerts:ws_aa", "tally:coverage-config:ws_b"]);
    expect(session.keys()).toEqual(["tally:admin-token:ws_b"]);
  });
});
