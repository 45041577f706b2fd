import http from "node:http";
import path from "node:path";

export interface DockerProxy {
  /** `unix:///…/proxy.sock` */
  url: string;
  close(): Promise<void>;
}

/** Called before each request is forwarded; lets a test change the engine at an exact point of a run. */
export type BeforeForward = (method: string, urlPath: string) => Promise<void>;

/** An HTTP proxy on a unix socket in front of a dockerd socket, for tests that interleave with a run. */
export async function startDockerProxy(
  upstreamSocket: string,
  dir: string,
  beforeForward: BeforeForward,
): Promise<DockerProxy> {
  const socket = path.join(dir, `proxy-${process.pid}-${Date.now()}.sock`);
  const server = http.createServer((request, response) => {
    const forward = () => {
      const upstream = http.request(
        { socketPath: upstreamSocket, path: request.url, method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on("error", () => response.destroy());
      request.pipe(upstream);
    };
    beforeForward(request.method ?? "GET", request.url ?? "/").then(forward, () => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    url: `unix://${socket}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
