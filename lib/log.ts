/**
 * One line per event. `RAMPART_LOG_FORMAT=json` writes JSON objects (time, level, component, msg, fields) for log
 * collectors; otherwise `rampart <component>: msg` as the commands always printed (fields only in JSON). `RAMPART_LOG_LEVEL`
 * (debug, info, warn, error; default info) drops what is below it. Fields whose name says secret are redacted:
 * callers pass names, counts and ids, never values of credentials or environment variables.
 */
export const LEVELS = ["debug", "info", "warn", "error"] as const;
export type Level = (typeof LEVELS)[number];
export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const SECRET_FIELD = /token|password|secret|key|authorization|cookie|credential/i;

function levelFrom(env: Record<string, string | undefined>): Level {
  const wanted = env.RAMPART_LOG_LEVEL?.toLowerCase();
  return (LEVELS as readonly string[]).includes(wanted ?? "") ? (wanted as Level) : "info";
}

export function isJsonLogging(env: Record<string, string | undefined> = process.env): boolean {
  return env.RAMPART_LOG_FORMAT?.toLowerCase() === "json";
}

/** The line a logger writes, without its newline (exported for tests and for wrapping a child's output). */
export function formatLine(component: string, level: Level, msg: string, fields: Fields, json: boolean): string {
  const safe: Fields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    safe[name] = SECRET_FIELD.test(name) ? "[redacted]" : value;
  }
  if (json) return JSON.stringify({ time: new Date().toISOString(), level, component, msg, ...safe });
  return `rampart${component ? ` ${component}` : ""}: ${msg}`;
}

export function createLogger(component: string, env: Record<string, string | undefined> = process.env): Logger {
  const json = isJsonLogging(env);
  const floor = LEVELS.indexOf(levelFrom(env));
  const write =
    (level: Level) =>
    (msg: string, fields: Fields = {}) => {
      if (LEVELS.indexOf(level) < floor) return;
      const line = `${formatLine(component, level, msg, fields, json)}\n`;
      (level === "warn" || level === "error" ? process.stderr : process.stdout).write(line);
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
