// The admin token field: one token per workspace for every form of the page,
// taken from a form when none is kept, and gone from all forms once forgotten
// or refused by the edge.
import { describe, expect, it } from "vitest";
import { createAdminTokenField } from "../../app/src/components/admin-token-field.ts";
import { EdgeError } from "../../app/src/data/edge-call.ts";

/** Just what take() reads of a form: one named input's value. */
function form(field: string, value: string): HTMLFormElement {
  return { elements: { namedItem: (name: string) => (name === field ? { value } : null) } } as unknown as HTMLFormElement;
}

describe("createAdminTokenField", () => {
  it("shares the token between forms of one workspace, not across workspaces", () => {
    const importForm = createAdminTokenField(() => "ws_share");
    const settingsForm = createAdminTokenField(() => "ws_share");
    const other = createAdminTokenField(() => "ws_other");
    expect(importForm.take(form("t", "not-a-token"), "t")).toBeNull();
    expect(importForm.take(form("t", " tly_a_secret "), "t")).toBe("tly_a_secret");
    expect(settingsForm.token()).toBe("tly_a_secret");
    // kept: the form's field is not read again
    expect(settingsForm.take(form("t", "tly_a_else"), "t")).toBe("tly_a_secret");
    expect(other.token()).toBeNull();
  });

  it("forgets the token in every form when one forgets it or the edge refuses it", () => {
    const a = createAdminTokenField(() => "ws_forget");
    const b = createAdminTokenField(() => "ws_forget");
    a.take(form("t", "tly_a_one"), "t");
    b.forget();
    expect(a.token()).toBeNull();
    a.take(form("t", "tly_a_two"), "t");
    expect(b.refused(new EdgeError(500, "internal", "boom"))).toBe(false);
    expect(b.token()).toBe("tly_a_two");
    expect(b.refused(new EdgeError(403, "insufficient_scope", "no"))).toBe(true);
    expect(a.token()).toBeNull();
  });
});
