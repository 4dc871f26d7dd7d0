// RFC 4180 writing and spreadsheet-injection neutralising, table-driven.
import { describe, expect, it } from "vitest";
import { csvCell, csvRow, toCsv, type CsvValue } from "../../shared/csv.ts";

describe("csvCell", () => {
  it.each<[string, CsvValue, string]>([
    ["plain text as it is", "GET /users/{id}", "GET /users/{id}"],
    ["empty text as an empty cell", "", ""],
    ["null as an empty cell", null, ""],
    ["a comma quoted", "a,b", '"a,b"'],
    ["quotes doubled and quoted", 'say "hi"', '"say ""hi"""'],
    ["LF quoted", "line 1\nline 2", '"line 1\nline 2"'],
    ["CRLF quoted", "line 1\r\nline 2", '"line 1\r\nline 2"'],
    ["a lone quote", '"', '""""'],
    ["booleans as words", true, "true"],
    ["integers", 200, "200"],
    ["fractions", 41.5, "41.5"],
    ["negative numbers as numbers, unprefixed", -12.5, "-12.5"],
    ["tiny numbers in exponent form", 1e-7, "1e-7"],
    ["NaN as empty", NaN, ""],
    ["Infinity as empty", Infinity, ""],
    ["unicode untouched", "café ☕ 日本語 🚀", "café ☕ 日本語 🚀"],
    ["unicode with a comma quoted", "naïve, résumé", '"naïve, résumé"'],
    ["text with = after its start untouched", "x=1", "x=1"],
  ])("writes %s", (_, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each<[string, string]>([
    ["=SUM(A1:A9)", "'=SUM(A1:A9)"],
    ["+1+1", "'+1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["@SUM(1,2)", `"'@SUM(1,2)"`],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ["-5", "'-5"],
    ["=", "'="],
  ])("neutralises the formula-like text %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("leaves text that merely contains formula characters alone", () => {
    for (const text of ["a=b", "1+1", "user@example.com", "x-y", " =1"]) expect(csvCell(text)).toBe(text);
  });
});

describe("toCsv", () => {
  it("writes a header and rows, every record ended by CRLF", () => {
    expect(toCsv(["endpoint", "count", "p95"], [["/users", 10, 41.5], ["/orders, old", 2, null]])).toBe('endpoint,count,p95\r\n/users,10,41.5\r\n"/orders, old",2,\r\n');
  });

  it("writes just the header when there are no rows", () => {
    expect(toCsv(["a", "b"], [])).toBe("a,b\r\n");
  });

  it("neutralises header cells too", () => {
    expect(csvRow(["=x", "ok"])).toBe("'=x,ok");
  });

  it("keeps embedded line breaks inside one quoted field", () => {
    const csv = toCsv(["note"], [["first\r\nsecond"]]);
    expect(csv).toBe('note\r\n"first\r\nsecond"\r\n');
    // an RFC 4180 reader sees exactly one record after the header
    expect(csv.match(/"[^"]*"|[^,\r\n]+|\r\n/g)!.filter((t) => t === "\r\n")).toHaveLength(2);
  });
});
