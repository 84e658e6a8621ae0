// After tsc: copies the files the compiled app reads at run time (tsc copies only .ts output)
// next to their compiled code under dist/. Today: the dashboard page (src/modules/admin/assets).
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
for (const dir of ['src/modules/admin/assets']) {
  cpSync(join(root, dir), join(root, 'dist', dir), { recursive: true });
  console.log(`copied ${dir} to dist/${dir}`);
}
