/**
 * `tally workspace create`: makes a workspace with the instance admin secret
 * and shows its three first tokens, which the edge never shows again.
 */
import type { CreateWorkspaceRequest, CreateWorkspaceResponse } from "../../shared/wire.ts";
import { EXIT_FAILED, EXIT_OK, UsageError, type CommandSpec, type Context } from "../command.ts";
import { readDevVar, setting } from "../config.ts";
import { clean, failureLines, shellWord } from "../format.ts";

export const workspaceCreate: CommandSpec = {
  words: ["workspace", "create"],
  usage: "[--name NAME] [--demo] [--admin-secret SECRET]",
  summary: "create a workspace (needs the instance admin secret)",
  description: `Creates a workspace and prints its id and its first admin, write and read
tokens. The tokens are shown only once: store them now.

The instance admin secret is taken from --admin-secret, else TALLY_ADMIN_SECRET,
else the TALLY_ADMIN_SECRET line of ./.dev.vars (which \`npm start\` writes).
Prefer the environment or .dev.vars: flags show up in process lists.`,
  options: {
    name: { type: "string", arg: "NAME", help: "a name for people to recognise it by" },
    demo: { type: "boolean", help: "mark it as a demo workspace" },
    "admin-secret": { type: "string", arg: "SECRET", help: "the instance admin secret (env TALLY_ADMIN_SECRET, or ./.dev.vars)" },
  },
  positionals: { min: 0, max: 0 },
  needs: {},
  run: createWorkspace,
};

/** The instance admin secret, from flag, environment or ./.dev.vars. */
export async function adminSecret(ctx: Context, command: CommandSpec = workspaceCreate): Promise<string> {
  const secret = setting(ctx.values, "admin-secret", ctx.io.env, "TALLY_ADMIN_SECRET") ?? (await readDevVar(ctx.io.cwd, "TALLY_ADMIN_SECRET"));
  if (secret === undefined) {
    throw new UsageError(
      "creating a workspace needs the instance admin secret: pass --admin-secret, set TALLY_ADMIN_SECRET, or run where .dev.vars defines it",
      command,
    );
  }
  return secret;
}

async function createWorkspace(ctx: Context): Promise<number> {
  const secret = await adminSecret(ctx);
  const request: CreateWorkspaceRequest = {};
  if (typeof ctx.values["name"] === "string") request.name = ctx.values["name"];
  if (ctx.values["demo"] === true) request.demo = true;

  // never retried: a lost answer after a stored workspace would make a second one
  const result = await ctx.api.call<CreateWorkspaceResponse>({
    method: "POST",
    path: "/api/v1/workspaces",
    token: secret,
    retries: 0,
    body: () => ({ data: JSON.stringify(request), headers: { "Content-Type": "application/json" } }),
  });
  if (!result.ok) {
    ctx.emitJson({ error: result.error });
    const [first, ...rest] = failureLines(result.error);
    ctx.warn([`tally: could not create the workspace: ${first}`, ...rest].join("\n"));
    return EXIT_FAILED;
  }
  const { workspace, tokens } = result.body;
  ctx.emitJson(result.body);
  ctx.say(
    [
      `Created workspace ${workspace.id} ("${clean(workspace.name)}")${workspace.demo ? " (demo)" : ""}`,
      "",
      "Tokens, shown only once; store them now:",
      `  admin  ${tokens.admin.token}   manages tokens`,
      `  write  ${tokens.write.token}   posts events (give it to CI)`,
      `  read   ${tokens.read.token}   reads; for share links`,
      "",
      "For CI:",
      `  export TALLY_URL=${shellWord(ctx.url)}`,
      `  export TALLY_WORKSPACE=${workspace.id}`,
      `  export TALLY_TOKEN=${tokens.write.token}`,
      "",
      "Share link (read-only; opens the dashboard):",
      `  ${shareLink(ctx.url, workspace.id, tokens.read.token)}`,
    ].join("\n"),
  );
  return EXIT_OK;
}

/** The app's link that opens a workspace read-only with a read token. */
export function shareLink(url: string, workspaceId: string, readToken: string): string {
  return `${url.replace(/\/+$/, "")}/#/w/${encodeURIComponent(workspaceId)}?key=${encodeURIComponent(readToken)}`;
}
