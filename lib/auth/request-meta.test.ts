import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { markPeerHookInstalled, PEER_HEADER } from "./peer-address";
import { clientAddress, isHttps, requestHost } from "./request-meta";
import { parseTrustedProxies } from "./trusted-proxies";

const PROXIES = parseTrustedProxies("10.0.0.5, 10.1.0.0/16, fd00::/8");

function fromPeer(peer: string, extra: Record<string, string> = {}): Headers {
  return new Headers({ [PEER_HEADER]: peer, ...extra });
}

describe("trusted proxies", () => {
  it("match single addresses, IPv4 and IPv6 ranges, and IPv4-mapped IPv6 peers", () => {
    expect(PROXIES.has("10.0.0.5")).toBe(true);
    expect(PROXIES.has("::ffff:10.0.0.5")).toBe(true);
    expect(PROXIES.has("10.0.0.6")).toBe(false);
    expect(PROXIES.has("10.1.200.3")).toBe(true);
    expect(PROXIES.has("fd00::1")).toBe(true);
    expect(PROXIES.has("fe80::1")).toBe(false);
    expect(PROXIES.has("not an address")).toBe(false);
  });

  it("report entries that do not parse and trust nothing for them", () => {
    const parsed = parseTrustedProxies("10.0.0.1/33, example.com, 192.168.1.1");
    expect(parsed.invalid).toEqual(["10.0.0.1/33", "example.com"]);
    expect(parsed.has("10.0.0.1")).toBe(false);
    expect(parsed.has("192.168.1.1")).toBe(true);
  });
});

describe("client address", () => {
  beforeEach(() => markPeerHookInstalled(true));
  afterEach(() => markPeerHookInstalled(false));

  it("is the socket's address for a direct client, whatever forwarding headers it sends", () => {
    const forged = { "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7" };
    expect(clientAddress(fromPeer("203.0.113.9", forged), PROXIES)).toBe("203.0.113.9");
    expect(clientAddress(fromPeer("::ffff:203.0.113.9", forged), PROXIES)).toBe("203.0.113.9");
  });

  it("from a trusted proxy, is the right-most forwarded address that is not a trusted proxy", () => {
    const chain = { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.1.3.4" };
    expect(clientAddress(fromPeer("10.0.0.5", chain), PROXIES)).toBe("198.51.100.7");
    expect(clientAddress(fromPeer("10.0.0.5", { "x-real-ip": "198.51.100.8" }), PROXIES)).toBe("198.51.100.8");
    expect(clientAddress(fromPeer("10.0.0.5"), PROXIES)).toBe("10.0.0.5");
  });

  it("ignores a peer header a client sent itself when the server did not install the hook", () => {
    markPeerHookInstalled(false);
    expect(clientAddress(fromPeer("10.0.0.5", { "x-forwarded-for": "6.6.6.6" }), PROXIES)).toBeNull();
  });

  it("HTTPS and the Host come from forwarding headers only when a trusted proxy sent them", () => {
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "evil.example", host: "rampart.test" };
    expect(isHttps(fromPeer("203.0.113.9", forwarded), PROXIES)).toBe(false);
    expect(requestHost(fromPeer("203.0.113.9", forwarded), PROXIES)).toBe("rampart.test");
    expect(isHttps(fromPeer("10.0.0.5", forwarded), PROXIES)).toBe(true);
    expect(requestHost(fromPeer("10.0.0.5", forwarded), PROXIES)).toBe("evil.example");
  });
});

describe("peer address hook", () => {
  afterEach(() => markPeerHookInstalled(false));

  it("overwrites a client-sent peer header with the socket's address on a real server", async () => {
    const { createServer, request } = await import("node:http");
    const { installPeerAddressHook } = await import("./peer-address");
    await installPeerAddressHook();
    const server = createServer((req, res) => res.end(String(req.headers[PEER_HEADER])));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const call = request(
          { host: "127.0.0.1", port, localAddress: "127.0.0.2", headers: { [PEER_HEADER]: "10.0.0.5" } },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve(text));
          },
        );
        call.on("error", reject);
        call.end();
      });
      expect(body).toBe("127.0.0.2");
    } finally {
      server.close();
    }
  });
});
