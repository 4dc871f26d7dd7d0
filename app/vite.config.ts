/**
 * Builds the Tally app (app/ → app/dist) as an installable PWA. `wrangler dev`
 * and `wrangler deploy` serve app/dist as static assets next to the API
 * (wrangler.toml, [assets]). Run with `npm run build:app`.
 */
import { resolve } from "node:path";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { VitePWA } from "vite-plugin-pwa";

const root = import.meta.dirname;

export default defineConfig({
  root,
  publicDir: resolve(root, "public"),
  build: {
    outDir: resolve(root, "dist"),
    emptyOutDir: true,
    target: "es2022",
    // uPlot alone is ~50 kB; one chunk for the whole shell is fine and precaches in one go
    chunkSizeWarningLimit: 800,
  },
  // the aggregation worker imports shared/ as ES modules; classic workers could not
  worker: { format: "es" },
  server: {
    // `vite dev` on its own: send API calls to a wrangler dev on 8787
    proxy: { "/api": "http://localhost:8787" },
  },
  plugins: [
    solid(),
    VitePWA({
      // a new version waits until the person chooses to reload (UpdatePrompt)
      registerType: "prompt",
      // registered from app code through virtual:pwa-register/solid, never an inline script (CSP)
      injectRegister: false,
      strategies: "generateSW",
      includeAssets: ["favicon.svg", "icons/*.png"],
      manifest: {
        name: "Tally",
        short_name: "Tally",
        description: "Offline-first analytics for the events APIs, mocks, CI runs and jobs produce",
        start_url: "/",
        scope: "/",
        display: "standalone",
        theme_color: "#2563eb",
        background_color: "#f6f7f9",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // md: docs the app links to (docs/alerts.md), so they open offline too
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest,md}"],
        // routes live in the hash, so every navigation is the shell; the API answers for itself
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
