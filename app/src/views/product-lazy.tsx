/**
 * The Product view, loaded when first opened: it brings the config schemas
 * (full zod) for its funnel and experiment forms, which the shell and the
 * other views do without.
 */
import { lazyView } from "./lazy-view.tsx";

export const ProductView = lazyView(() => import("./product-view.tsx").then((m) => m.ProductView));
