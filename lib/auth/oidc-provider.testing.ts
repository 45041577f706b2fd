import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A test account of the local provider: who signs in next, with which groups. */
export interface TestAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  groups: string[];
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
}

export interface LocalProvider {
  issuer: string;
  /** Set before a flow: the account the provider's login step signs in. */
  account: TestAccount;
  close(): Promise<void>;
}

interface ProviderLike {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options?: object): Promise<void>;
  Grant: new (options: { clientId: string; accountId: string }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
}

// Named through a variable: the package has no type declarations, and this keeps the import typed as unknown.
const PACKAGE = "oidc-provider";

/**
 * A real `oidc-provider` on a loopback port. Its login step signs in `account` without a form, and grants are
 * given without a consent screen, so a test can run the whole authorization code flow over HTTP.
 */
export async function startLocalProvider(clients: TestClient[], redirectUri: string): Promise<LocalProvider> {
  const { default: Provider } = (await import(PACKAGE)) as {
    default: new (issuer: string, config: object) => ProviderLike;
  };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: { account: TestAccount } = {
    account: { sub: "nobody", email: "nobody@idp.test", emailVerified: true, groups: [] },
  };
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    })),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["oidc-test-cookie-key"] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = state.account;
      if (sub !== account.sub) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: account.emailVerified,
          name: account.email.split("@")[0],
          groups: account.groups,
        }),
      };
    },
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string } } }) => {
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on("request", (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      void provider.interactionFinished(
        req,
        res,
        { login: { accountId: state.account.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    handle(req, res);
  });
  return {
    issuer,
    get account() {
      return state.account;
    },
    set account(value: TestAccount) {
      state.account = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Follows the provider's redirects with its cookies until it sends the browser back to `redirectUri`. */
export async function followToCallback(authorizationUrl: string, redirectUri: string): Promise<string> {
  const jar = new Map<string, string>();
  let location = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (location.startsWith(redirectUri)) return location;
    const response = await fetch(location, {
      redirect: "manual",
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair?.indexOf("=") ?? -1;
      if (pair && index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1));
    }
    const next = response.headers.get("location");
    if (!next) throw new Error(`the provider answered ${response.status} without a redirect: ${await response.text()}`);
    location = new URL(next, location).toString();
  }
  throw new Error("the provider did not redirect back within 10 hops");
}
