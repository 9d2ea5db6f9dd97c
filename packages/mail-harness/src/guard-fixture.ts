/**
 * A test process for guard.test.ts, run as `node --import tsx src/guard-fixture.ts WHAT`: starts
 * WHAT through the package's public API, prints one JSON line, then waits to be killed.
 *   mail-server | mail-server-smtp  startMailServer (without or with Postfix): { dir, configPath }
 *   redis                           startRedis: { pid, dir }
 *   unref-child                     an unref'd `sleep` under killOnExit, then nothing keeps this
 *                                   process alive (it must exit by itself): { pid }
 */
import { spawn } from "node:child_process";
import { killOnExit, startMailServer, startRedis } from "./index";

const what = process.argv[2];
const print = (value: object): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

if (what === "mail-server" || what === "mail-server-smtp") {
  const server = await startMailServer({
    users: [{ name: "alice@pismo.test", password: "alice-pw" }],
    ...(what === "mail-server-smtp" ? { smtp: true } : {}),
  });
  print({ dir: server.dir, configPath: server.configPath });
  setInterval(() => undefined, 60_000);
} else if (what === "redis") {
  const redis = await startRedis();
  print({ pid: redis.child.pid, dir: redis.dumpDir });
  setInterval(() => undefined, 60_000);
} else if (what === "unref-child") {
  const child = spawn("sleep", ["300"], { stdio: "ignore" });
  killOnExit(child);
  child.unref();
  print({ pid: child.pid });
} else {
  throw new Error(`guard-fixture: unknown ${what}`);
}
