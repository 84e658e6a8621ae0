import { STATUS_CODES } from 'node:http';

/** pino's numeric levels, as names of equal width. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Fields every line has or that the line shows in its own place. */
const SHOWN = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'service',
  'msg',
  'context',
  'req',
  'res',
  'responseTime',
  'userId',
  'err',
  'trace',
]);

interface Line {
  level: number;
  time?: string | number;
  msg?: string;
  context?: string;
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  userId?: number;
  err?: { type?: string; message?: string; stack?: string };
  trace?: string;
  [key: string]: unknown;
}

/**
 * pino's JSON lines turned into one readable line each, for a developer's terminal:
 *   06:30:12.345 INFO  GET /api/v1/planets → 200 OK 12 ms  user=3 req=9f1c…
 *   06:30:12.400 WARN  [Redis] redis main connection error …
 * Stacks of errors follow on indented lines. Colours only on a terminal, and never with NO_COLOR.
 */
export function formatPrettyLine(json: string, color: boolean): string {
  let line: Line;
  try {
    line = JSON.parse(json) as Line;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = typeof line.time === 'string' ? line.time.slice(11, 23) : new Date(line.time ?? Date.now()).toISOString().slice(11, 23);
  const level = paint(COLORS[line.level] ?? '0', LEVELS[line.level] ?? String(line.level));
  let text: string;
  if (line.req && line.res) {
    const status = line.res.statusCode ?? 0;
    const statusText = paint(status >= 500 ? '31' : status >= 400 ? '33' : '32', `${status} ${STATUS_CODES[status] ?? ''}`.trim());
    const ms = line.responseTime === undefined ? '' : ` ${Math.round(line.responseTime)} ms`;
    text = `${line.req.method} ${line.req.url} → ${statusText}${ms}`;
    const tags = [line.userId === undefined ? '' : `user=${line.userId}`, line.req.id ? `req=${line.req.id.slice(0, 8)}` : '']
      .filter(Boolean)
      .join(' ');
    if (tags) text += `  ${paint('90', tags)}`;
  } else {
    text = `${line.context ? `${paint('90', `[${line.context}]`)} ` : ''}${line.msg ?? ''}`;
  }
  const extra = Object.entries(line)
    .filter(([k, v]) => !SHOWN.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (extra.length) text += `  ${paint('90', extra.join(' '))}`;
  let out = `${paint('90', time)} ${level} ${text}\n`;
  // A request line's err is pino-http's "failed with status code 500"; the real stack is on the line before.
  if (line.req && line.res) return out;
  const stack = line.err?.stack ?? line.trace;
  if (stack)
    out += `${stack
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;
  else if (line.err?.message) out += `    ${line.err.type ?? 'Error'}: ${line.err.message}\n`;
  return out;
}

/** A pino destination that writes formatPrettyLine's output, synchronously, to a stream (stdout). */
export function prettyDestination(out: NodeJS.WriteStream = process.stdout): { write(chunk: string): void } {
  const color = Boolean(out.isTTY) && !process.env.NO_COLOR;
  return {
    write(chunk: string) {
      for (const json of chunk.split('\n')) if (json.trim()) out.write(formatPrettyLine(json, color));
    },
  };
}
