/**
 * What a test covers: the endpoint, method, HTTP response, scenario and
 * persona it exercises, read from the test case's properties or, failing
 * that, from a naming convention in its name (README, "What a test covers"):
 *
 *   [GET /users/{id}]  [GET /users/{id} 404]  [scenario: happy-path]  [persona: admin]
 *
 * Properties win over the name, the name over the classname, key by key.
 * Within one text the last tag of a kind counts.
 */

/** The covering props a `test` event can carry. */
export interface Covers {
  endpoint?: string;
  method?: string;
  scenario?: string;
  persona?: string;
  response?: number;
}

export const COVER_KEYS = ["endpoint", "method", "scenario", "persona", "response"] as const;
type CoverKey = (typeof COVER_KEYS)[number];

/** A property whose value cannot be what it names. */
export interface CoverProblem {
  /** The prop it would have set, e.g. `props.response`. */
  path: string;
  message: string;
}

const METHODS = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE|CONNECT";
const ENDPOINT_TAG = new RegExp(`\\[\\s*(${METHODS})\\s+(/[^\\s\\]]*)(?:\\s+(\\d{3}))?\\s*\\]`, "gi");
const LABEL_TAG = /\[\s*(scenario|persona)\s*:\s*([^\]]*?)\s*\]/gi;
const VALUE_CHARS = 2000;

function keyOf(property: string): CoverKey | undefined {
  const name = property.trim().toLowerCase();
  const bare = name.startsWith("tally.") ? name.slice("tally.".length) : name;
  return (COVER_KEYS as readonly string[]).includes(bare) ? (bare as CoverKey) : undefined;
}

/** An HTTP status code, or undefined. */
function statusCode(text: string): number | undefined {
  if (!/^\d{3}$/.test(text)) return undefined;
  const code = Number(text);
  return code >= 100 && code <= 599 ? code : undefined;
}

/** What the naming convention says in one piece of text. */
export function coversInText(text: string): Covers {
  const out: Covers = {};
  // the last tag counts: jest-junit writes "{describe} {title}", and the test's own tag is the more specific
  const endpoint = [...text.matchAll(ENDPOINT_TAG)].at(-1);
  if (endpoint) {
    out.method = endpoint[1]!.toUpperCase();
    out.endpoint = endpoint[2]!;
    const response = endpoint[3] === undefined ? undefined : statusCode(endpoint[3]);
    if (response !== undefined) out.response = response;
  }
  for (const m of text.matchAll(LABEL_TAG)) {
    const key = m[1]!.toLowerCase() as "scenario" | "persona";
    if (m[2] !== "") out[key] = m[2]!;
  }
  return out;
}

/** What the properties say, and the properties that could not be read. */
export function coversInProperties(properties: readonly [string, string][]): { covers: Covers; problems: CoverProblem[] } {
  const covers: Covers = {};
  const problems: CoverProblem[] = [];
  for (const [name, raw] of properties) {
    const key = keyOf(name);
    if (key === undefined) continue;
    const value = raw.trim();
    const where = `testcase property "${name}"`;
    if (value === "") {
      problems.push({ path: `props.${key}`, message: `${where} is empty` });
    } else if (value.length > VALUE_CHARS) {
      problems.push({ path: `props.${key}`, message: `${where} is ${value.length} characters; the limit is ${VALUE_CHARS}` });
    } else if (key === "response") {
      const code = statusCode(value);
      if (code === undefined) problems.push({ path: "props.response", message: `${where} must be an HTTP status code (100-599), got "${value.slice(0, 40)}"` });
      else covers.response = code;
    } else if (key === "method") {
      if (!/^[A-Za-z]+$/.test(value)) problems.push({ path: "props.method", message: `${where} must be an HTTP method such as GET, got "${value.slice(0, 40)}"` });
      else covers.method = value.toUpperCase();
    } else {
      covers[key] = value;
    }
  }
  return { covers, problems };
}

/** The covering props of a test case: properties first, then its name, then its classname. */
export function testCovers(properties: readonly [string, string][], name: string, classname?: string): { covers: Covers; problems: CoverProblem[] } {
  const fromProps = coversInProperties(properties);
  const covers: Covers = {};
  const layers: Covers[] = [fromProps.covers, coversInText(name), classname === undefined ? {} : coversInText(classname)];
  for (const key of COVER_KEYS) {
    const layer = layers.find((l) => l[key] !== undefined);
    if (layer) (covers as Record<CoverKey, string | number>)[key] = layer[key]!;
  }
  return { covers, problems: fromProps.problems };
}
