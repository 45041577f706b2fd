/** @type {import('next').NextConfig} */
const nextConfig = {
  // Turbopack cannot bundle ssh2's native addon; externalising also halves build time and memory.
  serverExternalPackages: [
    "dockerode",
    "@kubernetes/client-node",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg",
  ],
  poweredByHeader: false,
  // forbidden() in requireRole renders the 403 page (lib/auth/session.ts).
  // Next answers a larger action body with a 500; proxy.ts answers 413 first (MAX_BODY_BYTES in lib/http/post-guard.ts).
  // The proxy buffers at most this much of a body and cuts the rest: MAX_REPORT_UPLOAD_BYTES (post-guard.ts) is the same.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "1mb" }, proxyClientMaxBodySize: "32mb" },
  // `npm run typecheck` checks the whole repository; checking again here would double `rampart serve`'s first build.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
