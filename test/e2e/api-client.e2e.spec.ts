import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { runSampleCalls } from '../client/sample-calls';
import { startTestApp, TestApp } from '../helpers/test-app';

const root = resolve(__dirname, '..', '..');
const SAMPLE = join(root, 'test', 'client', 'sample-calls.ts');

/** Type-checks files with the project's compiler options; `extra` are files that exist only in memory. */
function compile(files: string[], extra: Record<string, string> = {}): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error('cannot read tsconfig.json');
  const options = { ...config.options, noEmit: true, types: ['node'] };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f in extra || fileExists.call(host, f);
  host.readFile = (f) => extra[f] ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) =>
    f in extra ? ts.createSourceFile(f, extra[f], lang) : getSourceFile.call(host, f, lang, ...rest);
  const program = ts.createProgram([...files, ...Object.keys(extra)], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? `${d.file.fileName.replace(`${root}/`, '')}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('a TypeScript client generated from the API description (openapi-typescript 7 + openapi-fetch)', () => {
  it('is the committed openapi/connecto-api.d.ts, generated from openapi/openapi.json', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'openapi-client-types.js'), join(root, 'openapi', 'openapi.json')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toBe(readFileSync(join(root, 'openapi', 'connecto-api.d.ts'), 'utf8'));
  });

  it('compiles the sample calls (register, send, list with counts, search)', () => {
    expect(compile([SAMPLE])).toEqual([]);
  });

  it('rejects calls that break the description, so the compile check can fail', () => {
    const wrong = `
      import createClient from 'openapi-fetch';
      import type { paths } from '../../openapi/connecto-api';
      export async function wrong(): Promise<void> {
        const client = createClient<paths>({ baseUrl: 'http://localhost' });
        await client.POST('/api/v1/auth/register', { body: { email: 'a@b.c', nickname: 'x' } });
        const list = await client.GET('/api/v1/planets/{planetId}/messages', { params: { path: { planetId: 1 } } });
        const unread: string = list.data!.data[0].unreadCount;
        await client.GET('/api/v1/messages/search', { params: { query: { query: '부산', sort: 'newest' } } });
        await client.GET('/api/v1/messages/search', { params: { query: { limit: 5 } } });
        void unread;
      }`;
    const errors = compile([], { [join(root, 'test', 'client', 'wrong-calls.ts')]: wrong }).join('\n');
    expect(errors).toMatch(/password/); // the missing required body field
    expect(errors).toMatch(/Type 'number' is not assignable to type 'string'/); // unreadCount is a number
    expect(errors).toMatch(/"newest"/); // not one of the sort values
    expect(errors).toMatch(/Property 'query' is missing/); // the search query is required
  });

  describe('run against the app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ tag: 'client' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('gets what the types promise: the message, counts on list items, a search hit, the error shape', async () => {
      const r = await runSampleCalls(t.url, 'client-sample@connecto.dev');
      expect(r.sent).toMatchObject({ content: '부산역에서 만나요', senderId: r.userId, deleted: false });
      expect(r.page.map((m) => m.id)).toEqual([r.sent.id]);
      // The creator is the planet's only member: nobody else to read it.
      expect(r.counts).toEqual({ readCount: 0, unreadCount: 0, replyCount: 0 });
      expect(r.searchTotal).toBe(1);
      expect(r.hitIds).toEqual([r.sent.id]);
      expect(r.loginError).toEqual({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' } });
    });
  });
});
