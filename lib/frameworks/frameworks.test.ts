import { describe, expect, it } from "vitest";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { CONTROLS_BY_LEVEL, POD_SECURITY_LEVELS } from "@/lib/pss";
import { checksOfControl, FRAMEWORK_IDS, FRAMEWORKS, notJudgedReason } from "./index";

describe("frameworks", () => {
  it.each(FRAMEWORK_IDS)("%s: every control id a check references is a control of the framework", (id) => {
    const framework = FRAMEWORKS[id];
    const ids = new Set(framework.controls.map((control) => control.id));
    for (const check of CHECK_CATALOG)
      for (const ref of check.references[framework.referenceKey] ?? [])
        expect(ids.has(ref), `${check.id} names ${framework.referenceKey} ${ref}`).toBe(true);
  });

  it.each(FRAMEWORK_IDS)("%s: controls are unique within their section and every section is declared", (id) => {
    const framework = FRAMEWORKS[id];
    const keys = framework.controls.map((control) => `${control.section}/${control.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const sections = new Set(framework.sections.map((section) => section.id));
    for (const control of framework.controls) expect(sections.has(control.section), control.id).toBe(true);
  });

  it.each(["cis-docker", "nsa-cisa", "cis-kubernetes"] as const)(
    "%s: a control is judged exactly when a check references it, else it has its own reason",
    (id) => {
      const framework = FRAMEWORKS[id];
      for (const control of framework.controls) {
        const checks = checksOfControl(framework, control.id);
        const reason = notJudgedReason(framework, control);
        if (checks.length > 0) {
          expect(reason, control.id).toBeNull();
          expect(
            control.notJudged,
            `${control.id} is judged by ${checks[0]?.id} but declares a reason`,
          ).toBeUndefined();
        } else {
          expect(reason, control.id).toBeTruthy();
          expect(reason).not.toBe("No Rampart check judges it.");
        }
      }
    },
  );

  it("pins the editions by their control counts and known titles", () => {
    expect(FRAMEWORKS["cis-docker"].controls).toHaveLength(117);
    expect(FRAMEWORKS["cis-kubernetes"].controls).toHaveLength(131);
    const title = (id: "cis-docker" | "cis-kubernetes", control: string) =>
      FRAMEWORKS[id].controls.find((c) => c.id === control)?.title;
    expect(title("cis-docker", "5.32")).toBe("Ensure that the Docker socket is not mounted inside any containers");
    expect(title("cis-docker", "4.1")).toBe("Ensure that a user for the container has been created");
    expect(title("cis-kubernetes", "5.2.7")).toBe("Minimize the admission of root containers");
    expect(title("cis-kubernetes", "5.1.6")).toBe(
      "Ensure that Service Account Tokens are only mounted where necessary",
    );
  });

  it("lists every Pod Security control of each level, judged from the verdicts", () => {
    const framework = FRAMEWORKS["pod-security"];
    for (const level of POD_SECURITY_LEVELS)
      expect(framework.controls.filter((c) => c.section === level).map((c) => c.id)).toEqual(
        CONTROLS_BY_LEVEL[level].map((c) => c.id),
      );
    for (const control of framework.controls) expect(notJudgedReason(framework, control)).toBeNull();
  });

  it("maps the checks the issue names to real controls", () => {
    const ids = (id: (typeof FRAMEWORK_IDS)[number], control: string) =>
      checksOfControl(FRAMEWORKS[id], control).map((check) => check.id);
    expect(ids("cis-docker", "5.5")).toEqual(["not-privileged"]);
    expect(ids("cis-kubernetes", "5.2.7")).toEqual(["run-as-non-root"]);
    expect(ids("nsa-cisa", "non-root-containers")).toEqual(["run-as-non-root"]);
    expect(ids("nsa-cisa", "rbac")).toEqual([]);
  });
});
