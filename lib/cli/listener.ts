import { readdir, readFile, readlink } from "node:fs/promises";
import { createServer } from "node:net";

/** Fails with a message naming the port when another process listens on it already. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") return reject(error);
      reject(
        new Error(
          `port ${port} on ${host} is in use by another process (an earlier rampart serve or web?): stop it or pass --port`,
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
  await new Promise((resolve) => server.close(resolve));
}

async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/**
 * Whether process `pid` holds a socket listening on TCP `port`, from /proc (Linux); undefined where /proc cannot
 * tell. Tells our own web server from another that happens to answer on the same port.
 */
export async function isListeningOn(pid: number, port: number): Promise<boolean | undefined> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
  if (!fds) return undefined;
  const inodes = await listeningInodes(port);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
}
