import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, readConfig } from "./env";
import { createLogger } from "./log";
import { startGateway } from "./gateway";

function defaultStaticDir(): string {
  // dist/main.js and src/main.ts both sit one level below apps/gateway.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/out");
}

async function main() {
  let config;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`pismo: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  config.staticDir ??= defaultStaticDir();
  const log = createLogger(config.logLevel);
  // One user's stray rejection (a socket that died mid-command) must not end every session.
  process.on("unhandledRejection", (error) => log.error("gateway.unhandled_rejection", { error }));
  // A fault nothing caught leaves the process in a state nobody knows: it ends, but says what
  // it was in the log's own form first (the service manager starts it again).
  process.on("uncaughtException", (error) => {
    log.error("gateway.uncaught_exception", { error });
    process.exit(1);
  });
  let gateway;
  try {
    gateway = await startGateway(config, log);
  } catch (error) {
    // The session store unreachable, the data dir not writable, the port taken: say which.
    process.stderr.write(`pismo: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`Pismo is running at ${gateway.url}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("gateway.stopping", { signal });
    await gateway.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

void main();
