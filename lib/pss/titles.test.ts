import { describe, expect, it } from "vitest";
import { BASELINE_CONTROLS, RESTRICTED_CONTROLS } from "./levels";
import { POD_SECURITY_CONTROL_TITLES, podSecurityControlTitle } from "./titles";

describe("Pod Security control titles", () => {
  it("has an upstream title for every control of both levels, and no title for a control that does not exist", () => {
    const ids = new Set([...BASELINE_CONTROLS, ...RESTRICTED_CONTROLS].map((control) => control.id));
    for (const id of ids) expect(POD_SECURITY_CONTROL_TITLES[id], id).toMatch(/^[A-Z/]/);
    expect(Object.keys(POD_SECURITY_CONTROL_TITLES).sort()).toEqual([...ids].sort());
    expect(podSecurityControlTitle("runAsNonRoot")).toBe("Running as Non-root");
    expect(podSecurityControlTitle("retired_control")).toBe("retired_control");
  });
});
