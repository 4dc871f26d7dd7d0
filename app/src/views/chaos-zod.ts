/**
 * Turns off zod's compiled parsers before the alert rule schema (full zod)
 * is built. Building an object schema probes for `new Function`; the app's
 * CSP (script-src 'self') forbids it, and although zod catches the refusal,
 * the browser still reports a CSP violation. The interpreted parsers are
 * fast enough for a form's worth of rules.
 */
import { config } from "zod/mini";

config({ jitless: true });
