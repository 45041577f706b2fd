import { BlockList, isIP } from "node:net";

/** `::ffff:10.0.0.1` (an IPv4 client of a dual-stack socket) and `10.0.0.1` are one address. */
export function normalizeAddress(address: string): string | null {
  let text = address.trim();
  if (text.startsWith("[") && text.includes("]")) text = text.slice(1, text.indexOf("]"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped?.[1]) text = mapped[1];
  return isIP(text) ? text.toLowerCase() : null;
}

export interface TrustedProxies {
  has(address: string): boolean;
}

/**
 * RAMPART_TRUSTED_PROXIES: a comma list of addresses and CIDR ranges (`10.0.0.5, 10.1.0.0/16, fd00::/8`).
 * Entries that do not parse are reported by `invalid` and trust nothing.
 */
export function parseTrustedProxies(text: string): TrustedProxies & { invalid: string[] } {
  const list = new BlockList();
  const invalid: string[] = [];
  for (const entry of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [base = "", prefix] = entry.split("/");
    const address = normalizeAddress(base);
    const family = address && isIP(address) === 6 ? "ipv6" : "ipv4";
    const bits = prefix === undefined ? (family === "ipv6" ? 128 : 32) : Number(prefix);
    if (!address || !Number.isInteger(bits) || bits < 0 || bits > (family === "ipv6" ? 128 : 32)) {
      invalid.push(entry);
      continue;
    }
    list.addSubnet(address, bits, family);
  }
  return {
    invalid,
    has(candidate: string) {
      const address = normalizeAddress(candidate);
      if (!address) return false;
      return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
    },
  };
}

let cached: { text: string; proxies: TrustedProxies } | undefined;

export function trustedProxiesFromEnv(env: Record<string, string | undefined> = process.env): TrustedProxies {
  const text = env.RAMPART_TRUSTED_PROXIES ?? "";
  if (cached?.text !== text) {
    const proxies = parseTrustedProxies(text);
    if (proxies.invalid.length > 0) {
      console.error(`rampart: RAMPART_TRUSTED_PROXIES entries ignored: ${proxies.invalid.join(", ")}`);
    }
    cached = { text, proxies };
  }
  return cached.proxies;
}
