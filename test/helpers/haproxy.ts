import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net';

/** The shipped balancer configuration; the test runs it with only its server list replaced. */
export const SHIPPED_HAPROXY_CFG = join(__dirname, '..', '..', 'deploy', 'haproxy', 'haproxy.cfg');

export interface BalancedServer {
  name: string;
  port: number;
}

export interface ServerState {
  name: string;
  /** UP, DOWN, NOLB, MAINT, "UP 1/2"... as `show stat` reports it. */
  status: string;
  /** Current sessions on the server. */
  scur: number;
  /** Sessions since start. */
  stot: number;
}

/** Debian installs it in /usr/sbin, which a non-root PATH may lack. */
const HAPROXY = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';

/** True when Debian's haproxy binary is installed. */
export function haproxyAvailable(): boolean {
  try {
    execFileSync(HAPROXY, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian's HAProxy as a child process running deploy/haproxy/haproxy.cfg, with the block between
 * `# servers:begin` and `# servers:end` replaced by `servers` (127.0.0.1 ports). Talks to it
 * through its admin socket (`show stat`, `show table`). Call `stop()` in afterAll.
 */
export class Haproxy {
  private child?: ChildProcess;
  private out = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly statsSocket: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  output(): string {
    return this.out;
  }

  /**
   * `edit` may change the configuration further (a test's control run without stickiness); the
   * server block is replaced first.
   */
  static async start(servers: BalancedServer[], edit: (cfg: string) => string = (c) => c): Promise<Haproxy> {
    const shipped = readFileSync(SHIPPED_HAPROXY_CFG, 'utf8');
    const block = /( *)# servers:begin\n[\s\S]*?# servers:end\n/;
    if (!block.test(shipped)) throw new Error(`${SHIPPED_HAPROXY_CFG} has no "# servers:begin ... # servers:end" block`);
    const lines = servers.map((s) => `    server ${s.name} 127.0.0.1:${s.port} check`).join('\n');
    const cfg = edit(shipped.replace(block, `$1# servers:begin (test)\n${lines}\n$1# servers:end\n`));
    const dir = mkdtempSync(join(tmpdir(), 'connecto-haproxy-'));
    writeFileSync(join(dir, 'haproxy.cfg'), cfg);
    const port = await freePort();
    const lb = new Haproxy(port, dir, join(dir, 'admin.sock'));
    const check = spawn(HAPROXY, ['-c', '-f', join(dir, 'haproxy.cfg')], { env: lb.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let checkOut = '';
    check.stdout?.on('data', (d: Buffer) => (checkOut += d.toString()));
    check.stderr?.on('data', (d: Buffer) => (checkOut += d.toString()));
    const code = await new Promise<number | null>((resolve) => check.once('exit', resolve));
    try {
      if (code !== 0) throw new Error(`haproxy -c rejected the configuration:\n${checkOut}`);
      await lb.launch(servers.length);
    } catch (err) {
      await lb.stop(); // kills a half-started haproxy and removes the folder
      throw err;
    }
    return lb;
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, HAPROXY_BIND: `127.0.0.1:${this.port}`, HAPROXY_STATS_SOCKET: this.statsSocket };
  }

  /** Starts haproxy in the foreground (-db) and waits until every server is UP. */
  private async launch(count: number): Promise<void> {
    const child = spawn(HAPROXY, ['-db', '-f', join(this.dir, 'haproxy.cfg')], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer) => {
      this.out += d.toString();
      if (this.out.length > 200_000) this.out = this.out.slice(-100_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited at start:\n${this.out}`);
      const up = await this.servers()
        .then((s) => s.filter((x) => x.status.startsWith('UP')).length)
        .catch(() => 0);
      if (up >= count) return;
      if (Date.now() > deadline) throw new Error(`haproxy: only ${up} of ${count} servers UP within 20 s:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** One admin-socket command; resolves with its whole answer. */
  command(cmd: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.statsSocket);
      let data = '';
      socket.setTimeout(3000, () => socket.destroy(new Error(`haproxy admin socket: no answer to "${cmd}"`)));
      socket.on('data', (d) => (data += d.toString()));
      socket.once('error', reject);
      socket.once('end', () => resolve(data));
      socket.once('connect', () => socket.write(`${cmd}\n`));
    });
  }

  /** The servers of be_app as `show stat` reports them. */
  async servers(): Promise<ServerState[]> {
    const csv = await this.command('show stat');
    const [header, ...rows] = csv.trim().split('\n');
    const cols = header.replace(/^# /, '').split(',');
    const at = (name: string) => cols.indexOf(name);
    return rows
      .map((r) => r.split(','))
      .filter((f) => f[at('pxname')] === 'be_app' && f[at('svname')] !== 'BACKEND')
      .map((f) => ({ name: f[at('svname')], status: f[at('status')], scur: Number(f[at('scur')]), stot: Number(f[at('stot')]) }));
  }

  /** Engine.IO sid -> server name, from be_app's stick table. */
  async stickTable(): Promise<Map<string, string>> {
    const text = await this.command('show table be_app');
    const ids = new Map<string, string>();
    const servers = await this.command('show servers state be_app');
    for (const line of servers.split('\n')) {
      const f = line.split(' ');
      // be_id be_name srv_id srv_name ...
      if (f.length > 4 && f[1] === 'be_app') ids.set(f[2], f[3]);
    }
    const table = new Map<string, string>();
    for (const line of text.split('\n')) {
      const key = /key=(\S+)/.exec(line)?.[1];
      const id = /server_id=(\d+)/.exec(line)?.[1];
      if (key && id) table.set(key, ids.get(id) ?? `#${id}`);
    }
    return table;
  }

  /** Waits until `server` has `status` (prefix match: "UP", "DOWN"). */
  async waitFor(server: string, status: string, timeoutMs = 15_000): Promise<number> {
    const started = Date.now();
    for (;;) {
      const s = (await this.servers()).find((x) => x.name === server);
      if (s?.status.startsWith(status)) return Date.now() - started;
      if (Date.now() - started > timeoutMs) throw new Error(`haproxy: ${server} not ${status} within ${timeoutMs} ms (is ${s?.status})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
