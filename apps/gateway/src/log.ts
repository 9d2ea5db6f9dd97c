/**
 * A tiny structured logger: one JSON line per event on stderr. Fields named like secrets are
 * dropped here, so a careless call site still cannot log a password.
 */
const levels = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;
export type LogLevel = keyof typeof levels;

const secretKey = /pass|secret|token|cookie|authorization|session/i;

export interface Logger {
  error(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
}

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretKey.test(key)) continue;
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l + "\n"),
): Logger {
  const at = levels[level];
  const emit =
    (lvl: Exclude<LogLevel, "silent">) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      if (levels[lvl] > at) return;
      write(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...redact(fields) }));
    };
  return { error: emit("error"), warn: emit("warn"), info: emit("info"), debug: emit("debug") };
}
