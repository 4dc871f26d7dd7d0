// Which CI run `tally post` is in, read from each CI system's variables
// (flags winning over them is tested in post-junit.test.ts).
import { describe, expect, it } from "vitest";
import { ciRunFromEnv } from "../../cli/ci-env.ts";

describe("ciRunFromEnv", () => {
  it("GitHub Actions: run id and attempt, the ref name, the sha", () => {
    const env = { GITHUB_ACTIONS: "true", GITHUB_RUN_ID: "9876543210", GITHUB_RUN_ATTEMPT: "2", GITHUB_REF_NAME: "main", GITHUB_HEAD_REF: "", GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567" };
    expect(ciRunFromEnv(env)).toEqual({ ci: "github", run: "9876543210-2", branch: "main", commit: "0123456789abcdef0123456789abcdef01234567" });
  });

  it("GitHub Actions on a pull request: the head branch, not 123/merge; no attempt, the run id alone", () => {
    const env = { GITHUB_ACTIONS: "true", GITHUB_RUN_ID: "55", GITHUB_REF_NAME: "123/merge", GITHUB_HEAD_REF: "feature/login", GITHUB_SHA: "abc1234" };
    expect(ciRunFromEnv(env)).toEqual({ ci: "github", run: "55", branch: "feature/login", commit: "abc1234" });
  });

  it("GitLab CI: pipeline id, ref name, sha", () => {
    const env = { GITLAB_CI: "true", CI: "true", CI_PIPELINE_ID: "4711", CI_COMMIT_REF_NAME: "release-1.2", CI_COMMIT_SHA: "feedbeef" };
    expect(ciRunFromEnv(env)).toEqual({ ci: "gitlab", run: "4711", branch: "release-1.2", commit: "feedbeef" });
  });

  it("GitLab merge request pipelines: the source branch and its head, not the merge commit", () => {
    const env = { GITLAB_CI: "true", CI_PIPELINE_ID: "4712", CI_COMMIT_REF_NAME: "refs/merge-requests/9/merge", CI_COMMIT_SHA: "merge0", CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature/x", CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: "head1" };
    expect(ciRunFromEnv(env)).toEqual({ ci: "gitlab", run: "4712", branch: "feature/x", commit: "head1" });
  });

  it("Jenkins: a pull request's CHANGE_BRANCH, and GIT_BRANCH as refs/remotes/origin/…", () => {
    expect(ciRunFromEnv({ JENKINS_URL: "https://ci/", BUILD_NUMBER: "9", BRANCH_NAME: "PR-12", CHANGE_BRANCH: "fix/login", GIT_BRANCH: "PR-12" }).branch).toBe("fix/login");
    expect(ciRunFromEnv({ JENKINS_URL: "https://ci/", BUILD_NUMBER: "9", GIT_BRANCH: "refs/remotes/origin/release/2.0" }).branch).toBe("release/2.0");
  });

  it("Jenkins: BUILD_TAG over BUILD_NUMBER, GIT_BRANCH without its remote, GIT_COMMIT", () => {
    const env = { JENKINS_URL: "https://ci.example.com/", BUILD_TAG: "jenkins-api-main-42", BUILD_NUMBER: "42", GIT_BRANCH: "origin/main", BRANCH_NAME: "ignored", GIT_COMMIT: "cafe1234" };
    expect(ciRunFromEnv(env)).toEqual({ ci: "jenkins", run: "jenkins-api-main-42", branch: "main", commit: "cafe1234" });
  });

  it("Jenkins multibranch: BUILD_NUMBER and BRANCH_NAME when the others are missing", () => {
    const env = { JENKINS_HOME: "/var/jenkins_home", BUILD_NUMBER: "7", BRANCH_NAME: "PR-12" };
    expect(ciRunFromEnv(env)).toEqual({ ci: "jenkins", run: "7", branch: "PR-12" });
  });

  it("CircleCI: the workflow id over the build number, branch, sha", () => {
    const env = { CIRCLECI: "true", CI: "true", CIRCLE_WORKFLOW_ID: "6f1e2d3c-aaaa-bbbb-cccc-0123456789ab", CIRCLE_BUILD_NUM: "314", CIRCLE_BRANCH: "dev", CIRCLE_SHA1: "0badc0de" };
    expect(ciRunFromEnv(env)).toEqual({ ci: "circleci", run: "6f1e2d3c-aaaa-bbbb-cccc-0123456789ab", branch: "dev", commit: "0badc0de" });
    expect(ciRunFromEnv({ CIRCLECI: "true", CIRCLE_BUILD_NUM: "314" })).toEqual({ ci: "circleci", run: "314" });
  });

  it("finds nothing outside a known CI, even with generic variables set", () => {
    expect(ciRunFromEnv({})).toEqual({});
    expect(ciRunFromEnv({ CI: "true", BUILD_NUMBER: "3", GIT_COMMIT: "abc1234", GITHUB_ACTIONS: "false" })).toEqual({});
  });
});
