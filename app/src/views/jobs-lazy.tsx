/**
 * The Jobs & cost view, loaded when first opened: its report code and
 * tables are of no use to a workspace that runs no jobs.
 */
import { lazyView } from "./lazy-view.tsx";

export const JobsView = lazyView(() => import("./jobs-view.tsx").then((m) => m.JobsView));
