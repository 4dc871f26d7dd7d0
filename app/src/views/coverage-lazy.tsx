/**
 * The Coverage & risk view, loaded when first opened: it brings the config
 * schemas (full zod) and the OpenAPI reader with its YAML parser, which no
 * other view needs.
 */
import { lazyView } from "./lazy-view.tsx";

export const CoverageView = lazyView(() => import("./coverage-view.tsx").then((m) => m.CoverageView));
