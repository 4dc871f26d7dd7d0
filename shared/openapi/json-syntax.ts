/**
 * Finds where JSON text first breaks the grammar (RFC 8259), for error
 * messages: engines word JSON.parse errors differently and some (V8 in
 * Node 20) give no position at all. Only called after JSON.parse failed.
 * Iterative, so deeply nested input cannot overflow the stack.
 */

/** Where and why the text stops being JSON, or undefined when it is valid. */
export interface JsonSyntaxError {
  /** Character offset of the offending character (the text's length at an early end). */
  offset: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;

function shown(text: string, at: number): string {
  return at >= text.length ? "the end of the text" : JSON.stringify(text[at]);
}

/** The first syntax error of `text`, or undefined when it parses. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: ("{" | "[")[] = [];
  // what may come next: a value, an object key, the colon after a key, or what follows a value
  let want: "value" | "key" | "colon" | "after" = "value";
  let first = false; // just after an opening bracket, which may close at once
  let i = 0;
  const fail = (reason: string): JsonSyntaxError => ({ offset: i, reason: `${reason}, found ${shown(text, i)}` });

  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
    const c = text[i];
    if (want === "after") {
      const top = stack.at(-1);
      if (top === undefined) return c === undefined ? undefined : fail("expected the end of the text after the value");
      if (c === ",") {
        i++;
        want = top === "{" ? "key" : "value";
        first = false;
      } else if ((c === "}" && top === "{") || (c === "]" && top === "[")) {
        i++;
        stack.pop();
      } else return fail(`expected ',' or '${top === "{" ? "}" : "]"}'`);
      continue;
    }
    if (want === "colon") {
      if (c !== ":") return fail("expected ':' after the key");
      i++;
      want = "value";
      continue;
    }
    if (first && ((want === "key" && c === "}") || (want === "value" && c === "]"))) {
      i++;
      stack.pop();
      first = false;
      want = "after";
      continue;
    }
    first = false;
    if (want === "key") {
      if (c !== '"') return fail("expected a key in double quotes");
      const end = stringEnd(text, i);
      if (typeof end !== "number") return end;
      i = end;
      want = "colon";
      continue;
    }
    // a value
    if (c === "{" || c === "[") {
      stack.push(c);
      i++;
      want = c === "{" ? "key" : "value";
      first = true;
      continue;
    }
    if (c === '"') {
      const end = stringEnd(text, i);
      if (typeof end !== "number") return end;
      i = end;
    } else if (c !== undefined && /[-0-9]/.test(c)) {
      NUMBER.lastIndex = i;
      if (!NUMBER.exec(text)) return fail("expected a number");
      i = NUMBER.lastIndex;
    } else {
      const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (word === undefined) return fail("expected a value");
      i += word.length;
    }
    want = "after";
  }
}

/** The offset after the string starting at `start`, or the error inside it. */
function stringEnd(text: string, start: number): number | JsonSyntaxError {
  STRING_BODY.lastIndex = start + 1;
  STRING_BODY.exec(text);
  const at = STRING_BODY.lastIndex;
  if (text[at] === '"') return at + 1;
  if (at >= text.length) return { offset: at, reason: "the string is not closed before the end of the text" };
  if (text[at] === "\\") return { offset: at, reason: "not a valid escape in a string" };
  return { offset: at, reason: "control characters such as line breaks must be escaped in a string" };
}
