import { createServer, type Server } from "node:net";

/**
 * Free loopback ports, found by binding port 0. All servers stay open until every port is
 * known so one call never returns the same port twice; a race with another process that binds
 * the port before Dovecot does is possible but rare, and startMailServer retries on it.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no port assigned");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
