// Merging an imported catalog into a stored one, and the change it makes.
import { describe, expect, it } from "vitest";
import { catalogChange, countedCodes, mergeCatalog } from "../../shared/openapi/catalog-change.ts";

const stored = [
  { method: "GET", endpoint: "/a", responses: [200] },
  { method: "GET", endpoint: "/b" },
  { method: "POST", endpoint: "/a", responses: [201, 400] },
];
const imported = [
  { method: "POST", endpoint: "/a", responses: [400, 201] },
  { method: "GET", endpoint: "/a", responses: [200, 404] },
  { method: "DELETE", endpoint: "/a", responses: [204] },
];

describe("mergeCatalog", () => {
  it("replaces listed endpoints in place, keeps the others and appends new ones in the document's order", () => {
    expect(mergeCatalog(stored, imported, false)).toEqual([imported[1], stored[1], imported[0], imported[2]]);
  });

  it("matches methods whatever their case", () => {
    expect(mergeCatalog([{ method: "get", endpoint: "/a" }], [{ method: "GET", endpoint: "/a", responses: [200] }], false)).toEqual([
      { method: "GET", endpoint: "/a", responses: [200] },
    ]);
  });

  it("keeps only the document's when replacing", () => {
    expect(mergeCatalog(stored, imported, true)).toEqual(imported);
  });
});

describe("catalogChange", () => {
  it("tells added, changed (codes as sets), removed and unchanged", () => {
    const change = catalogChange(stored, mergeCatalog(stored, imported, true));
    expect(change.added).toEqual([imported[2]]);
    expect(change.changed).toEqual([{ method: "GET", endpoint: "/a", before: [200], after: [200, 404] }]);
    expect(change.removed).toEqual([stored[1]]);
    expect(change.unchanged).toBe(1);
  });

  it("sees no change between a catalog and itself", () => {
    expect(catalogChange(stored, stored)).toEqual({ added: [], changed: [], removed: [], unchanged: 3 });
  });
});

describe("countedCodes", () => {
  it("counts an endpoint without documented codes as one, as coverage does", () => {
    expect(countedCodes(stored)).toBe(4);
    expect(countedCodes([{ method: "GET", endpoint: "/x", responses: [] }])).toBe(1);
  });
});
