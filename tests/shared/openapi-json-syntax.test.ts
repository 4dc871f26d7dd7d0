// The JSON syntax scan that places JSON errors: it must agree with JSON.parse
// on what is valid, and point at the first offending character.
import { describe, expect, it } from "vitest";
import { jsonSyntaxError } from "../../shared/openapi/json-syntax.ts";

describe("jsonSyntaxError", () => {
  it.each([
    "{}",
    "[]",
    ' { "a" : [ 1 , -2.5e+3 , 0 , true , false , null , "x\\"y\\u00e9\\n" , { } , [ ] ] } ',
    '"just a string"',
    "0",
    "[[[[[]]]]]",
    '{"a":{"b":{"c":[{"d":1}]}}}',
  ])("finds nothing wrong in %s, as JSON.parse", (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonSyntaxError(text)).toBeUndefined();
  });

  it.each<[string, number, string]>([
    ['{"a": }', 6, `expected a value, found "}"`],
    ['{"a": 1,}', 8, `expected a key in double quotes, found "}"`],
    ["[1,]", 3, `expected a value, found "]"`],
    ['{"a" 1}', 5, `expected ':' after the key, found "1"`],
    ['{"a": 1 "b": 2}', 8, `expected ',' or '}', found "\\""`],
    ["[1 2]", 3, `expected ',' or ']', found "2"`],
    ["{a: 1}", 1, `expected a key in double quotes, found "a"`],
    ["{'a': 1}", 1, `expected a key in double quotes, found "'"`],
    ['{"a": tru}', 6, `expected a value, found "t"`],
    ["[01]", 2, `expected ',' or ']', found "1"`],
    ["[-]", 1, `expected a number, found "-"`],
    ["{} x", 3, `expected the end of the text after the value, found "x"`],
    ['{"a": [1, 2}', 11, `expected ',' or ']', found "}"`],
    ['{"a', 3, "the string is not closed before the end of the text"],
    ['["a\\x"]', 3, "not a valid escape in a string"],
    ['["a\nb"]', 3, "control characters such as line breaks must be escaped in a string"],
    ['{"a": [', 7, "expected a value, found the end of the text"],
    ["", 0, "expected a value, found the end of the text"],
  ])("places the error in %j at %i", (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ offset, reason });
  });

  it("survives nesting far deeper than a call stack", () => {
    const text = "[".repeat(200_000) + "x";
    expect(jsonSyntaxError(text)).toEqual({ offset: 200_000, reason: `expected a value, found "x"` });
  });
});
