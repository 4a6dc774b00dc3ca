/**
 * Compiles the TypeScript of the app and the scripts into `dist/`, and copies the data files the code
 * reads next to itself (`.kql` queries, JSON table schemas), so that synth and the scripts run as
 * plain JavaScript: no TypeScript loader at run time, no source maps.
 *
 *   npm run build          compile what changed (also run by `npm ci` through `prepare`)
 *   npm run build -- --force   compile everything again
 *
 * What is compiled and how comes from `tsconfig.build.json`: its `include` names the source folders
 * (each `<folder>/**\/*.ts`), its compiler options are TypeScript's own, `outDir` is where the
 * JavaScript goes. `npx tsc -p tsconfig.build.json` type-checks and writes the same JavaScript; this
 * builder does not type-check (`npm run typecheck` and `npm test` do), it transpiles each changed
 * file on its own with `ts.transpileModule`, which `isolatedModules` in `tsconfig.json` makes
 * equivalent. That keeps "edit a construct, synthesize" one command that costs well under a second,
 * where a type-checking incremental `tsc` build costs several.
 *
 * Whether anything changed is decided without loading TypeScript: `dist/.build-state.json` records
 * the size and modification time of every source and data file, the configuration and the TypeScript
 * version. A build writes each output file atomically (a temporary file, then a rename), so a synth
 * running at the same time never reads half a file, and removes only outputs it recorded writing,
 * for sources that no longer exist.
 *
 * Plain CommonJS JavaScript: it has to run before anything is compiled.
 */
'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CONFIG_FILE = 'tsconfig.build.json';
const STATE_FILE = '.build-state.json';
const STATE_FORMAT = 1;
/** Files other than TypeScript that the code reads relative to itself; copied as they are. */
const DATA_EXTENSIONS = ['.kql', '.json'];
const INCLUDE_PATTERN = /^([A-Za-z0-9_-]+)\/\*\*\/\*\.ts$/;

/** A problem with the build: the message says what to change. */
class BuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BuildError';
  }
}

/**
 * Reads the build configuration as plain JSON (no TypeScript needed): the source folders, the output
 * folder and the text everything else is fingerprinted from.
 * @param {string} root
 */
function readLayout(root) {
  const file = path.join(root, CONFIG_FILE);
  let text;
  let json;
  try {
    text = fs.readFileSync(file, 'utf8');
    json = JSON.parse(text);
  } catch (e) {
    throw new BuildError(`${CONFIG_FILE}: ${e.message}; it must be plain JSON (no comments) naming the source folders in "include" and "compilerOptions.outDir"`);
  }
  const include = Array.isArray(json.include) ? json.include : [];
  const folders = include.map((pattern) => {
    const m = INCLUDE_PATTERN.exec(pattern);
    if (!m) throw new BuildError(`${CONFIG_FILE}: include entry ${JSON.stringify(pattern)} is not of the form "<folder>/**/*.ts"; the builder compiles whole folders`);
    return m[1];
  });
  if (folders.length === 0) throw new BuildError(`${CONFIG_FILE}: "include" lists no source folder; expected entries such as "stacks/**/*.ts"`);
  const options = json.compilerOptions || {};
  if (typeof options.outDir !== 'string' || typeof options.rootDir !== 'string' || path.resolve(root, options.rootDir) !== root) {
    throw new BuildError(`${CONFIG_FILE}: compilerOptions must set "outDir" (e.g. "dist") and "rootDir": "." so that dist/ mirrors the source tree`);
  }
  const outDir = path.resolve(root, options.outDir);
  const base = typeof json.extends === 'string' ? fs.readFileSync(path.resolve(root, json.extends), 'utf8') : '';
  let typescript = 'none';
  try {
    typescript = JSON.parse(fs.readFileSync(require.resolve('typescript/package.json', { paths: [root] }), 'utf8')).version;
  } catch {
    // Reported when a compile is needed.
  }
  const fingerprint = createHash('sha256').update(`${STATE_FORMAT}\0${typescript}\0${text}\0${base}\0${DATA_EXTENSIONS.join(',')}`).digest('hex');
  return { root, folders, outDir, fingerprint };
}

/** Every source (`.ts`, not `.d.ts`) and data file under the source folders, relative to `root`, sorted. */
function listInputs(layout) {
  const out = [];
  const walk = (relDir) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(layout.root, relDir), { withFileTypes: true });
    } catch (e) {
      if (e.code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries) {
      const rel = `${relDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(rel);
      } else if (entry.isFile() && isInput(entry.name)) {
        out.push(rel);
      }
    }
  };
  for (const folder of layout.folders) walk(folder);
  return out.sort();
}

function isInput(name) {
  if (name.endsWith('.d.ts')) return false;
  return name.endsWith('.ts') || DATA_EXTENSIONS.includes(path.extname(name));
}

/** The output of an input, relative to the output folder. */
function outputOf(rel) {
  return rel.endsWith('.ts') ? `${rel.slice(0, -3)}.js` : rel;
}

function stamp(root, rel) {
  const s = fs.statSync(path.join(root, rel));
  return { size: s.size, mtimeMs: s.mtimeMs };
}

function readState(layout) {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(layout.outDir, STATE_FILE), 'utf8'));
    return state && state.format === STATE_FORMAT && typeof state.files === 'object' ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a build would do: the inputs to compile or copy, the recorded inputs that are gone, and whether
 * everything is rebuilt (no state, another configuration or TypeScript version).
 */
function plan(layout, state = readState(layout), force = false) {
  const inputs = listInputs(layout);
  const full = force || !state || state.fingerprint !== layout.fingerprint;
  const changed = [];
  for (const rel of inputs) {
    const now = stamp(layout.root, rel);
    const was = full ? undefined : state.files[rel];
    if (!was || was.size !== now.size || was.mtimeMs !== now.mtimeMs || !fs.existsSync(path.join(layout.outDir, outputOf(rel)))) changed.push(rel);
  }
  const present = new Set(inputs);
  const removed = state ? Object.keys(state.files).filter((rel) => !present.has(rel)) : [];
  return { inputs, changed, removed, full, upToDate: changed.length === 0 && removed.length === 0 };
}

function writeAtomically(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

let typescriptModule;
function loadTypeScript(root) {
  if (!typescriptModule) {
    try {
      typescriptModule = require(require.resolve('typescript', { paths: [root] }));
    } catch (e) {
      throw new BuildError(`cannot load TypeScript (${e.message}); run npm ci, which installs it (a devDependency) and builds dist/`);
    }
  }
  return typescriptModule;
}

/** The compiler options of tsconfig.build.json as TypeScript reads them (extends resolved). */
function compilerOptions(layout) {
  const ts = loadTypeScript(layout.root);
  const diagnostics = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(layout.root, CONFIG_FILE), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d),
  });
  const errors = [...diagnostics, ...((parsed && parsed.errors) || [])];
  if (!parsed || errors.length > 0) {
    throw new BuildError(`${CONFIG_FILE}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
  }
  const fileNames = parsed.fileNames.filter((f) => !f.endsWith('.d.ts')).map((f) => path.relative(layout.root, f).split(path.sep).join('/'));
  return { ts, options: parsed.options, fileNames: fileNames.sort() };
}

/**
 * Brings the output folder up to date and returns what was done. Throws {@link BuildError} on a
 * syntax error (with file:line:column) or a broken configuration; nothing is recorded for a file that
 * failed, so the next run tries it again.
 * @param {{ root?: string, force?: boolean }} [options]
 */
function build(options = {}) {
  const started = process.hrtime.bigint();
  const layout = readLayout(options.root || ROOT);
  const state = readState(layout);
  const work = plan(layout, state, Boolean(options.force));
  const result = { compiled: 0, copied: 0, removed: 0, full: work.full, ms: 0 };
  if (work.upToDate) return result;

  const { ts, options: tsOptions, fileNames } = compilerOptions(layout);
  const sources = work.inputs.filter((rel) => rel.endsWith('.ts'));
  if (fileNames.join('\n') !== sources.join('\n')) {
    const extra = fileNames.filter((f) => !sources.includes(f));
    const missing = sources.filter((f) => !fileNames.includes(f));
    throw new BuildError(
      `${CONFIG_FILE} selects other files than its source folders hold (only in TypeScript's list: ${extra.join(', ') || 'none'}; only in the folders: ${missing.join(', ') || 'none'}); ` +
        'keep "include" to whole folders and do not use "files" or "exclude"',
    );
  }
  const files = state && !work.full ? { ...state.files } : {};
  const problems = [];
  for (const rel of work.changed) {
    const before = stamp(layout.root, rel);
    const source = fs.readFileSync(path.join(layout.root, rel));
    const target = path.join(layout.outDir, outputOf(rel));
    if (rel.endsWith('.ts')) {
      const out = ts.transpileModule(source.toString('utf8'), { compilerOptions: tsOptions, fileName: path.join(layout.root, rel), reportDiagnostics: true });
      const errors = (out.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0) {
        for (const d of errors) {
          const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
          problems.push(`${rel}${at ? `:${at.line + 1}:${at.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (TS${d.code})`);
        }
        delete files[rel];
        continue;
      }
      writeAtomically(target, out.outputText);
      result.compiled++;
    } else {
      writeAtomically(target, source);
      result.copied++;
    }
    files[rel] = before;
  }
  for (const rel of work.removed) {
    fs.rmSync(path.join(layout.outDir, outputOf(rel)), { force: true });
    delete files[rel];
    result.removed++;
  }
  writeAtomically(path.join(layout.outDir, STATE_FILE), `${JSON.stringify({ format: STATE_FORMAT, fingerprint: layout.fingerprint, files }, null, 1)}\n`);
  result.ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (problems.length > 0) {
    throw new BuildError(`${problems.length} syntax error(s); fix them and run again:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return result;
}

/** One line for the terminal, or undefined when nothing was done. */
function summary(result, outDir = 'dist') {
  const parts = [];
  if (result.compiled) parts.push(`compiled ${result.compiled} file(s)`);
  if (result.copied) parts.push(`copied ${result.copied} data file(s)`);
  if (result.removed) parts.push(`removed ${result.removed} stale file(s)`);
  return parts.length === 0 ? undefined : `Build: ${parts.join(', ')} into ${outDir}/ in ${Math.round(result.ms)} ms${result.full ? ' (full build)' : ''}`;
}

module.exports = { build, summary, plan, readLayout, listInputs, BuildError, CONFIG_FILE, STATE_FILE, ROOT };

if (require.main === module) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--force');
  if (unknown.length > 0) {
    process.stderr.write(`build: unknown argument ${unknown[0]}; usage: npm run build [-- --force]\n`);
    process.exitCode = 2;
  } else {
    try {
      const result = build({ force: args.includes('--force') });
      process.stderr.write(`${summary(result) || 'Build: dist/ is up to date'}\n`);
    } catch (e) {
      process.stderr.write(`${e instanceof BuildError ? `Build failed: ${e.message}` : (e && e.stack) || e}\n`);
      process.exitCode = 1;
    }
  }
}
