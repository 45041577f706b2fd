/** Runs once per server process before it answers requests (Next's instrumentation hook). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHook } = await import("@/lib/auth/peer-address");
  await installPeerAddressHook();
}
