import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '../../scripts/check-import-cycles.js');

function check(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const run = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
    return { status: run.status, out: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/check-import-cycles.js (wired into npm run lint)', () => {
  it('fails on a runtime import circle and names its files', () => {
    const res = check({
      'a.ts': "import { b } from './b';\nexport const a = () => b();\n",
      'b.ts': "import { c } from './c';\nexport const b = () => c();\n",
      'c.ts': "import { a } from './a';\nexport const c = () => a;\n",
    });
    expect(res.status).toBe(1);
    expect(res.out).toMatch(/1 runtime import circle/);
    expect(res.out).toMatch(/a\.ts -> .*b\.ts -> .*c\.ts -> .*a\.ts/);
  });

  it('passes when the way back is type-only (import type, or an import used only as a type)', () => {
    const res = check({
      'entity.ts': "import { rows } from './queries';\nexport class Entity { static all() { return rows(); } }\n",
      'queries.ts': "import type { Entity } from './entity';\nexport const rows = (): Entity[] => [];\n",
      'other.ts': "import { Entity } from './entity';\nimport { rows } from './queries';\nexport const one = (e: Entity) => e ?? rows();\n",
    });
    expect(res.status).toBe(0);
    expect(res.out).toMatch(/none at runtime in 3 files/);
  });

  it('passes on src/ as it is', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/none at runtime/);
    expect(run.status).toBe(0);
  });
});
