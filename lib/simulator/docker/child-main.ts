// Entry of a simulator child process (see spawn.ts): generates the fleet, serves it, drifts it on request.
import { driftFleet, generateDockerFleet } from "@/lib/simulator/fleet";
import { startDockerSimulator } from "./server";
import type { ChildReply, ChildRequest, SpawnOptions } from "./spawn";

const options = JSON.parse(process.argv[2] ?? "{}") as SpawnOptions;
const fleet = generateDockerFleet({
  hosts: options.hosts,
  containersPerHost: options.containersPerHost,
  seed: options.seed,
});
const simulator = await startDockerSimulator({
  hosts: fleet.hosts,
  socketDir: options.socketDir,
  delayMs: options.delayMs ?? 0,
});

function send(reply: ChildReply): void {
  process.send?.(reply);
}

process.on("message", (message: ChildRequest) => {
  if (message.type === "drift") {
    const { changed } = driftFleet(fleet, { share: message.share, seed: message.seed });
    send({ type: "drifted", changed: changed.length });
  } else if (message.type === "close") {
    void simulator.close().then(() => process.exit(0));
  }
});
process.on("disconnect", () => void simulator.close().then(() => process.exit(0)));
send({ type: "ready", engines: simulator.engines });
