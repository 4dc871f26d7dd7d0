/**
 * The Chaos & alerts view, loaded when first opened: it brings the alert
 * rule schema (full zod, ~40 kB gzipped) for validating rules in the form,
 * which no other view needs.
 */
import { lazyView } from "./lazy-view.tsx";

export const ChaosView = lazyView(() => import("./chaos-view.tsx").then((m) => m.ChaosView));
