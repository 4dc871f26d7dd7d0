/**
 * A Chromium profile on disk for the cold-open bench, launched afresh for
 * every measurement. Playwright's ordinary contexts are off the record, and
 * Chromium keeps their IndexedDB in memory; a person's data is on disk, and
 * reopening the app starts from there. So the data is seeded into a
 * persistent profile, the browser is closed (IndexedDB flushed to disk), and
 * each run launches a new browser on that profile: a new browser process and
 * renderer, the database reopened from disk, nothing of the app in memory.
 * Only the operating system's file cache stays warm, as it would for someone
 * who reopens a tab.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

// the flags of tests/support/chromium.ts (which only launches off-the-record browsers), kept in step by hand
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export interface Profile {
  dir: string;
  /** A new browser on this profile, with one new page; close it before the next launch (one browser per profile at a time). */
  launch(options?: { bypassCSP?: boolean; blockServiceWorkers?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  /** Closes any browser still open and deletes the profile. */
  remove(): Promise<void>;
}

export function createProfile(executablePath: string): Profile {
  const dir = mkdtempSync(join(tmpdir(), "tally-chromium-profile-"));
  // an interrupted bench leaves no profile behind (Playwright ends the browser itself)
  const removeOnExit = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", removeOnExit);
  let open: BrowserContext | null = null;
  return {
    dir,
    async launch(options = {}) {
      if (open) throw new Error("a browser is already open on this profile");
      const context = await chromium.launchPersistentContext(dir, {
        executablePath,
        args: ARGS,
        headless: true,
        locale: "en-US",
        viewport: { width: 1280, height: 900 },
        bypassCSP: options.bypassCSP ?? false,
        serviceWorkers: options.blockServiceWorkers ? "block" : "allow",
      });
      open = context;
      context.on("close", () => {
        if (open === context) open = null;
      });
      // a new page, as a person opens a tab; the one the browser starts with is closed
      const first = context.pages();
      const page = await context.newPage();
      await Promise.all(first.map((p) => p.close()));
      return { context, page };
    },
    async remove() {
      await open?.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      process.off("exit", removeOnExit);
    },
  };
}
