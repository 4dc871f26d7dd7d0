/**
 * Finds Debian's Chromium for browser tests and benches. Without one, browser
 * tests are skipped with a loud message — except under CI=true, where a
 * missing browser fails the run, so CI can never pass by testing nothing.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CANDIDATES = [process.env["CHROMIUM_PATH"], "/usr/bin/chromium", "/usr/bin/chromium-browser"];

// without the background-networking flags Chromium keeps dialling out, and this machine has no network
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export function chromiumPath(): string | undefined {
  return CANDIDATES.find((p): p is string => !!p && existsSync(p));
}

/** The path, or undefined after a loud warning; throws under CI=true. */
export function requireChromium(what: string): string | undefined {
  const path = chromiumPath();
  if (path) return path;
  const message = `No Chromium found (looked for ${CANDIDATES.filter(Boolean).join(", ")}): ${what} cannot run. Install it with \`apt-get install -y chromium\`.`;
  if (process.env["CI"] === "true") throw new Error(message);
  console.warn(`\n${"!".repeat(78)}\n!! SKIPPED: ${message}\n${"!".repeat(78)}\n`);
  return undefined;
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ARGS, headless: true });
}
