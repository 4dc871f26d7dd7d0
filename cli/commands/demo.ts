/**
 * `tally demo`: creates a workspace marked demo and fills it with two weeks of
 * realistic traffic through the public API, so a newcomer sees a full
 * dashboard at once. Prints the share link that opens it.
 */
import type { ConfigPatchRequest, ConfigPatchResponse, CreateWorkspaceRequest, CreateWorkspaceResponse } from "../../shared/wire.ts";
import { EXIT_FAILED, EXIT_OK, type CommandSpec, type Context } from "../command.ts";
import { demoEvents, demoWorkspaceConfig } from "../demo/generate.ts";
import { failureLines } from "../format.ts";
import { planBatches } from "../post/batches.ts";
import { countsText, newFileReport, problemLines } from "../post/report.ts";
import { postFile } from "./post.ts";
import { adminSecret, shareLink } from "./workspace.ts";

export const demo: CommandSpec = {
  words: ["demo"],
  usage: "[--name NAME] [--days N] [--admin-secret SECRET]",
  summary: "create a demo workspace full of sample traffic and print its link",
  description: `Creates a new workspace marked as demo and posts sample events to it through
the public API: a storefront API's requests over the last days (with a slow
deploy and an outage to find), chaos experiments, CI test runs and mock
states, a content platform's generation jobs, and ~300 users' product events
with two experiments; and writes its endpoint catalog, personas, scenarios,
thresholds, an experiment goal and a funnel. Every event has the prop
demo=true. Prints the share link that opens the dashboard.

Needs the instance admin secret, like \`workspace create\`.`,
  options: {
    name: { type: "string", arg: "NAME", help: 'workspace name (default "Demo: storefront API")' },
    days: { type: "string", arg: "N", help: "days of traffic, 1 to 60 (default 14)" },
    "admin-secret": { type: "string", arg: "SECRET", help: "the instance admin secret (env TALLY_ADMIN_SECRET, or ./.dev.vars)" },
  },
  positionals: { min: 0, max: 0 },
  needs: {},
  run: runDemo,
};

async function runDemo(ctx: Context): Promise<number> {
  const secret = await adminSecret(ctx, demo);
  const days = ctx.values["days"] === undefined ? 14 : Number(ctx.values["days"]);
  if (!Number.isInteger(days) || days < 1 || days > 60) {
    ctx.warn("tally: --days must be a whole number from 1 to 60");
    return 2;
  }
  const request: CreateWorkspaceRequest = { name: typeof ctx.values["name"] === "string" ? ctx.values["name"] : "Demo: storefront API", demo: true };
  const created = await ctx.api.call<CreateWorkspaceResponse>({
    method: "POST",
    path: "/api/v1/workspaces",
    token: secret,
    retries: 0,
    body: () => ({ data: JSON.stringify(request), headers: { "Content-Type": "application/json" } }),
  });
  if (!created.ok) {
    ctx.emitJson({ error: created.error });
    ctx.warn([`tally: could not create the demo workspace: ${failureLines(created.error).join("\n")}`].join("\n"));
    return EXIT_FAILED;
  }
  const { workspace, tokens } = created.body;
  ctx.say(`Created demo workspace ${workspace.id}; posting ${days} days of sample events…`);

  const events = demoEvents({ now: ctx.io.now(), days });
  const plan = planBatches(events);
  const report = newFileReport("demo", events, plan);
  const posting: Context = { ...ctx, workspace: workspace.id, token: tokens.write.token };
  const failure = await postFile(posting, { name: "demo", events, idsFilled: 0 }, plan, report);
  const problems = problemLines(report);
  if (problems.length > 0) ctx.warn(problems.join("\n"));
  // the endpoint catalog, personas, scenarios and thresholds the Coverage & risk view measures against
  const config: ConfigPatchRequest = { set: demoWorkspaceConfig() };
  const configured = await ctx.api.call<ConfigPatchResponse>({
    method: "PATCH",
    path: `/api/v1/workspaces/${encodeURIComponent(workspace.id)}/config`,
    token: tokens.admin.token,
    body: () => ({ data: JSON.stringify(config), headers: { "Content-Type": "application/json" } }),
  });
  if (!configured.ok) ctx.warn(`tally: could not write the demo's endpoint catalog: ${failureLines(configured.error).join("\n")}`);
  const link = shareLink(ctx.url, workspace.id, tokens.read.token);
  ctx.emitJson({ workspace, tokens, link, posted: report });
  ctx.say(
    [
      `demo: ${countsText(report)}`,
      "",
      "Open the dashboard (read-only share link):",
      `  ${link}`,
      "",
      `Admin token (shown once): ${tokens.admin.token}`,
    ].join("\n"),
  );
  return failure || report.rejected > 0 || !configured.ok ? EXIT_FAILED : EXIT_OK;
}
