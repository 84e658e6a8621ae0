import { createServer } from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { formatPrettyLine, prettyDestination } from './pretty-stream';
import { requestLogger, resolveLogFormat } from './request-logger';

/** A stand-in for stdout that keeps what is written. */
function fakeStdout(isTTY = false): NodeJS.WriteStream & { text: string } {
  const out = { text: '', isTTY, write: (s: string) => ((out.text += s), true) };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

describe('dev log lines', () => {
  it('prints one readable line per request, from the real pino-http middleware', async () => {
    const out = fakeStdout();
    const logger = pino(
      { level: 'info', base: { service: 'connecto-api' }, timestamp: pino.stdTimeFunctions.isoTime },
      prettyDestination(out),
    );
    const log = requestLogger(logger);
    const server = createServer((req, res) => {
      log(req, res);
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('{}');
    });
    await request(server).get('/api/v1/planets').set('X-Request-Id', 'req-12345678-abcd').expect(200);
    await request(server).get('/missing').expect(404);
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}GET \/api\/v1\/planets → 200 OK \d+ ms {2}req=req-1234$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}GET \/missing → 404 Not Found \d+ ms {2}req=[0-9a-f]{8}$/);
  });

  it('shows context, extra fields and the stack of an error; colours only on a terminal', () => {
    const line = JSON.stringify({
      level: 50,
      time: '2026-12-02T06:30:12.345Z',
      service: 'connecto-api',
      context: 'Exceptions',
      msg: 'GET /x failed',
      trace: 'Error: boom\n    at f (a.ts:1:1)',
      planetId: 7,
    });
    expect(formatPrettyLine(line, false)).toBe(
      '06:30:12.345 ERROR [Exceptions] GET /x failed  planetId=7\n    Error: boom\n        at f (a.ts:1:1)\n',
    );
    expect(formatPrettyLine(line, true)).toContain('\u001b[31mERROR\u001b[0m');
    expect(formatPrettyLine('not json', false)).toBe('not json\n');
  });

  it('is the default in development only: JSON stays everywhere else, and LOG_FORMAT wins', () => {
    expect(resolveLogFormat({ LOG_FORMAT: 'auto', NODE_ENV: 'development' })).toBe('pretty');
    expect(resolveLogFormat({ LOG_FORMAT: 'auto', NODE_ENV: 'production' })).toBe('json');
    expect(resolveLogFormat({ LOG_FORMAT: 'auto', NODE_ENV: 'test' })).toBe('json');
    expect(resolveLogFormat({ LOG_FORMAT: 'json', NODE_ENV: 'development' })).toBe('json');
    expect(resolveLogFormat({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' })).toBe('pretty');
  });
});
