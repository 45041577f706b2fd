import { describe, expect, it } from "vitest";
import { oidcConfigFromEnv, parseGroupRoles, roleForGroups } from "./oidc-config";

describe("single sign-on settings", () => {
  it("need issuer, client id and secret, and default the groups claim and scopes", () => {
    expect(oidcConfigFromEnv({ RAMPART_OIDC_ISSUER: "https://idp.example/" })).toBeNull();
    const config = oidcConfigFromEnv({
      RAMPART_OIDC_ISSUER: "https://idp.example/",
      RAMPART_OIDC_CLIENT_ID: "rampart",
      RAMPART_OIDC_CLIENT_SECRET: "s3cret",
      RAMPART_OIDC_GROUP_ROLES: "sec=security, ops=engineer,bogus=root,=admin",
    });
    expect(config).toEqual({
      issuer: "https://idp.example",
      clientId: "rampart",
      clientSecret: "s3cret",
      groupsClaim: "groups",
      scopes: "openid email profile",
      groupRoles: { sec: "security", ops: "engineer" },
    });
  });

  it("map groups to the highest role they grant, or none", () => {
    const map = parseGroupRoles("viewers=viewer; sec=security\ncn=admins,ou=x=admin");
    expect(map).toEqual({ viewers: "viewer", sec: "security", "cn=admins,ou=x": "admin" });
    expect(roleForGroups(["viewers", "sec"], map)).toBe("security");
    expect(roleForGroups(["other"], map)).toBeNull();
    expect(roleForGroups("sec", map)).toBeNull();
    expect(roleForGroups([42, null, "viewers"], map)).toBe("viewer");
  });
});
