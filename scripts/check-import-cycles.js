#!/usr/bin/env node
/**
 * Fails (exit 1) when the TypeScript sources under a folder (default `src/`) import each other in a
 * circle AT RUNTIME. Each file is compiled the way the app runs it (`ts.transpileModule` with the
 * project's compiler options), and the `require()` calls left in the output are the edges: so
 * `import type`, imports used only as types, and TypeORM relations named by string
 * (`@ManyToOne('Planet', …)` with `import type { Planet }`) are not edges, exactly as at runtime.
 *
 *   node scripts/check-import-cycles.js [folder…]
 *
 * No dependency beyond `typescript`. Prints each cycle as `a.ts -> b.ts -> a.ts`.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');

function compilerOptions() {
  const file = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(file)).options;
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

function resolveLocal(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The files each file requires at runtime (after TypeScript has elided type-only imports). */
function runtimeGraph(files, options) {
  const graph = new Map();
  for (const file of files) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { ...options, module: ts.ModuleKind.CommonJS },
      fileName: file,
    });
    const { importedFiles } = ts.preProcessFile(outputText, true, true);
    const deps = new Set();
    for (const { fileName } of importedFiles) {
      const target = resolveLocal(file, fileName);
      if (target) deps.add(target);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file requiring itself): Tarjan. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (v) => {
    const s = { index, low: index, onStack: true };
    index += 1;
    state.set(v, s);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      const t = state.get(w);
      if (!t) {
        visit(w);
        s.low = Math.min(s.low, state.get(w).low);
      } else if (t.onStack) s.low = Math.min(s.low, t.index);
    }
    if (s.low === s.index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!state.has(v)) visit(v);
  return found;
}

/** One concrete circle through the component, starting at its first file (for the message). */
function circleIn(graph, component) {
  const inside = new Set(component);
  const start = [...component].sort()[0];
  const seen = new Set([start]);
  const walk = (v, trail) => {
    for (const w of graph.get(v) ?? []) {
      if (w === start) return [...trail, w];
      if (!inside.has(w) || seen.has(w)) continue;
      seen.add(w);
      const done = walk(w, [...trail, w]);
      if (done) return done;
    }
    return null;
  };
  return walk(start, [start]) ?? component;
}

function main() {
  const folders = process.argv.slice(2).length ? process.argv.slice(2) : ['src'];
  const files = folders.flatMap((f) => sourceFiles(path.resolve(root, f)));
  const graph = runtimeGraph(files, compilerOptions());
  const found = cycles(graph);
  const rel = (f) => path.relative(root, f);
  if (found.length === 0) {
    console.log(`import cycles: none at runtime in ${files.length} files (${folders.join(', ')})`);
    return;
  }
  console.error(`import cycles: ${found.length} runtime import circle(s) in ${folders.join(', ')}:`);
  for (const component of found) console.error(`  ${circleIn(graph, component).map(rel).join(' -> ')}`);
  console.error('Break each circle (move the shared code to a file both can import, or use `import type` where only types are needed).');
  process.exitCode = 1;
}

main();
