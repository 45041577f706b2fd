/** @type {import('next').NextConfig} */
const nextConfig = {
  // Turbopack cannot bundle ssh2's native addon; externalising also halves build time and memory.
  serverExternalPackages: ["dockerode", "@kubernetes/client-node", "@electric-sql/pglite", "@electric-sql/pglite-socket", "pg"],
  poweredByHeader: false,
};

export default nextConfig;
