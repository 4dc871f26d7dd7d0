#!/usr/bin/env node
// Launcher for the `tally` command. Plain JS because Node 20 cannot run
// TypeScript itself: tsx's loader is registered first, so the CLI and the
// shared/ code it imports run from source with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../main.ts");
const code = await main(process.argv);
// exit explicitly (idle keep-alive sockets could hold the process open), but
// only after stdout and stderr are flushed, so piped output is never cut short
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((done) => s.write("", done))));
process.exit(code);
