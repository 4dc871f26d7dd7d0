/**
 * The CI run `tally post` is in, read from the variables each CI system sets,
 * so a report needs no flags in the common case. Flags win over what is found
 * here. Only the four systems below are recognised; elsewhere nothing is set.
 */

/** What identifies a run: the same names as the junit endpoint's query parameters. */
export interface CiRun {
  ci?: string;
  run?: string;
  branch?: string;
  commit?: string;
}

type Env = Record<string, string | undefined>;

/** The first non-empty value among `names`. */
function first(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

function compact(run: CiRun): CiRun {
  return Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined)) as CiRun;
}

function github(env: Env): CiRun {
  const id = first(env, "GITHUB_RUN_ID");
  const attempt = first(env, "GITHUB_RUN_ATTEMPT");
  return {
    ci: "github",
    // a re-run keeps its run id but not its attempt: each attempt is a run of its own
    run: id && attempt ? `${id}-${attempt}` : id,
    // on pull requests GITHUB_REF_NAME is "123/merge"; the head branch is the one people know
    branch: first(env, "GITHUB_HEAD_REF", "GITHUB_REF_NAME"),
    commit: first(env, "GITHUB_SHA"),
  };
}

function gitlab(env: Env): CiRun {
  // merged-results pipelines test a merge commit; the merge request's source branch and head are the ones people know
  return {
    ci: "gitlab",
    run: first(env, "CI_PIPELINE_ID"),
    branch: first(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_REF_NAME"),
    commit: first(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "CI_COMMIT_SHA"),
  };
}

function circleci(env: Env): CiRun {
  return { ci: "circleci", run: first(env, "CIRCLE_WORKFLOW_ID", "CIRCLE_BUILD_NUM"), branch: first(env, "CIRCLE_BRANCH"), commit: first(env, "CIRCLE_SHA1") };
}

function jenkins(env: Env): CiRun {
  // a multibranch pull request build names its source branch in CHANGE_BRANCH (BRANCH_NAME is "PR-12");
  // the Git plugin's GIT_BRANCH names the remote branch: origin/main, or refs/remotes/origin/main
  const remote = first(env, "GIT_BRANCH")?.replace(/^refs\/remotes\/[^/]+\/|^origin\//, "");
  const branch = first(env, "CHANGE_BRANCH", "GIT_LOCAL_BRANCH") ?? remote ?? first(env, "BRANCH_NAME");
  return { ci: "jenkins", run: first(env, "BUILD_TAG", "BUILD_NUMBER"), branch, commit: first(env, "GIT_COMMIT") };
}

/**
 * The run described by the environment: GitHub Actions, GitLab CI, CircleCI
 * or Jenkins, each recognised by the variable it always sets. Empty outside CI.
 */
export function ciRunFromEnv(env: Env): CiRun {
  if (env["GITHUB_ACTIONS"] === "true") return compact(github(env));
  if (env["GITLAB_CI"] === "true") return compact(gitlab(env));
  if (env["CIRCLECI"] === "true") return compact(circleci(env));
  // Jenkins sets no single flag variable, but always its URL or home (BUILD_NUMBER alone is too generic)
  if (first(env, "JENKINS_URL", "JENKINS_HOME") !== undefined) return compact(jenkins(env));
  return {};
}
