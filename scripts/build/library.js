/**
 * Builds and packs the constructs as the npm package `entra-audit-logging` (library/package.json).
 *
 *   npm run build:lib                              compile constructs/ into library/dist/
 *   npm run pack:lib [-- --pack-destination DIR]   build, then `npm pack` in library/ (default DIR: library/)
 *
 * The build runs TypeScript's own `tsc -p library/tsconfig.json` (type-checks, writes CommonJS and
 * .d.ts files: declarations need the whole program, which `tsc` builds) with TypeScript 7's native
 * compiler (the devDependency `typescript-7`: 0.6 s instead of 3.5 s with TypeScript 5.9; the output
 * differs only in the quotes of string literal types in the declarations), then copies the data files
 * the constructs read relative to themselves (every `.kql` and `.json` under constructs/: the
 * detection queries, the table schemas) to the same place under library/dist/, and checks that every
 * file library/package.json points at (`main`, `types`, `exports`, `typesVersions`) exists.
 *
 * library/dist/ holds only what this build writes: each build records its files in
 * library/.dist-files.json and removes exactly those before writing again (a construct that is
 * deleted disappears from the package); a file there that no build recorded stops the build.
 *
 * Plain CommonJS JavaScript, like build.js: it runs before anything is compiled.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
/** Where the constructs' sources are, relative to the repository. */
const SOURCE_DIR = 'constructs';
/** The library's package folder, relative to the repository. */
const LIBRARY_DIR = 'library';
/** Files other than TypeScript that the constructs read at run time, found relative to their code. */
const DATA_EXTENSIONS = ['.kql', '.json'];
const FILES_RECORD = '.dist-files.json';
/** Bounds on the child processes (milliseconds). */
const TSC_TIMEOUT_MS = 300_000;
const PACK_TIMEOUT_MS = 120_000;

/** A problem with the build: the message says what to change. */
class LibraryBuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LibraryBuildError';
  }
}

/** Files under `dir` (relative to it, `/`-separated, sorted). */
function walk(dir) {
  const out = [];
  const visit = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  if (fs.existsSync(dir)) visit('');
  return out.sort();
}

/**
 * The data files under the source folder (relative to it). Throws on a file that is neither
 * TypeScript nor a known data file: it would be left out of the package without anyone noticing.
 * @param {string} sourceDir
 */
function dataFiles(sourceDir) {
  const data = [];
  const unknown = [];
  for (const rel of walk(sourceDir)) {
    if (rel.endsWith('.ts')) continue;
    if (DATA_EXTENSIONS.includes(path.extname(rel))) data.push(rel);
    else unknown.push(rel);
  }
  if (unknown.length > 0) {
    throw new LibraryBuildError(
      `${unknown.map((rel) => `${path.basename(sourceDir)}/${rel}`).join(', ')}: neither TypeScript nor a data file (${DATA_EXTENSIONS.join(', ')}); ` +
        'if the constructs read it at run time, add its extension to DATA_EXTENSIONS in scripts/build/library.js, else move it out of the constructs',
    );
  }
  return data;
}

/**
 * Removes the files the previous build recorded under `outDir`, then the folders left empty. Throws,
 * before deleting anything, when `outDir` holds a file no build recorded: it is not this tool's to delete.
 * @param {string} libraryDir
 * @param {string} outDir
 */
function removePreviousOutput(libraryDir, outDir) {
  const recordFile = path.join(libraryDir, FILES_RECORD);
  let recorded = [];
  if (fs.existsSync(recordFile)) {
    try {
      recorded = JSON.parse(fs.readFileSync(recordFile, 'utf8')).files;
      if (!Array.isArray(recorded) || !recorded.every((f) => typeof f === 'string' && !f.split('/').includes('..'))) throw new Error('"files" is not a list of paths inside dist/');
    } catch (e) {
      throw new LibraryBuildError(`${LIBRARY_DIR}/${FILES_RECORD}: ${e.message}; delete it and ${LIBRARY_DIR}/dist/, then build again`);
    }
  }
  const ours = new Set(recorded);
  const foreign = walk(outDir).filter((rel) => !ours.has(rel));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).map((rel) => `${LIBRARY_DIR}/dist/${rel}`).join(', ');
    throw new LibraryBuildError(`${shown}${foreign.length > 5 ? ` and ${foreign.length - 5} more` : ''}: not written by this build (no record in ${LIBRARY_DIR}/${FILES_RECORD}); remove them, then build again`);
  }
  for (const rel of recorded) fs.rmSync(path.join(outDir, rel), { force: true });
  const removeEmpty = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeEmpty(path.join(dir, entry.name));
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  };
  removeEmpty(outDir);
  fs.rmSync(recordFile, { force: true });
}

/** Runs `tsc -p <config>`; throws with TypeScript's diagnostics when it fails. */
function compile(root, config) {
  let tsc;
  try {
    // typescript-7's exports map offers no ./bin/tsc: found from its package.json.
    tsc = path.join(path.dirname(require.resolve('typescript-7/package.json', { paths: [root] })), 'bin', 'tsc');
  } catch (e) {
    throw new LibraryBuildError(`cannot find TypeScript (${e.message.split('\n')[0]}); run npm ci, which installs it (a devDependency)`);
  }
  const run = spawnSync(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: root, encoding: 'utf8', timeout: TSC_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  if (run.error) throw new LibraryBuildError(`tsc -p ${path.relative(root, config)}: ${run.error.message}`);
  if (run.status !== 0) {
    const output = `${run.stdout}${run.stderr}`.trim();
    throw new LibraryBuildError(`tsc -p ${path.relative(root, config)} failed (exit ${run.status}${run.signal ? `, ${run.signal}` : ''}):\n${output}`);
  }
}

/** Every path a package.json points at, with where it is named (`exports["./catalog"].types`). */
function manifestTargets(manifest) {
  const out = [];
  if (typeof manifest.main === 'string') out.push({ where: 'main', target: manifest.main });
  if (typeof manifest.types === 'string') out.push({ where: 'types', target: manifest.types });
  for (const [subpath, value] of Object.entries(manifest.exports || {})) {
    if (typeof value === 'string') out.push({ where: `exports[${JSON.stringify(subpath)}]`, target: value });
    else for (const [condition, target] of Object.entries(value)) out.push({ where: `exports[${JSON.stringify(subpath)}].${condition}`, target });
  }
  for (const [range, map] of Object.entries(manifest.typesVersions || {})) {
    for (const [subpath, targets] of Object.entries(map)) {
      for (const target of targets) out.push({ where: `typesVersions[${JSON.stringify(range)}][${JSON.stringify(subpath)}]`, target });
    }
  }
  return out;
}

/**
 * Why the package's entry points do not resolve: one line per path named in library/package.json
 * that does not exist in `libraryDir` (empty when all do).
 * @param {string} libraryDir
 */
function entryPointProblems(libraryDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(libraryDir, 'package.json'), 'utf8'));
  return manifestTargets(manifest)
    .filter(({ target }) => !fs.existsSync(path.join(libraryDir, target)))
    .map(({ where, target }) => `${where}: ${target} does not exist`);
}

/**
 * Compiles the constructs into library/dist/ and copies their data files; returns what it wrote.
 * @param {{ root?: string }} [options]
 */
function buildLibrary(options = {}) {
  const started = process.hrtime.bigint();
  const root = options.root || ROOT;
  const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (rootManifest.type === 'module') {
    // library/tsconfig.json's module "node16" takes the format from the sources' package.json.
    throw new LibraryBuildError('package.json has "type": "module", so tsc would write ES modules; the library is CommonJS: set "module": "commonjs" in library/tsconfig.json');
  }
  const sourceDir = path.join(root, SOURCE_DIR);
  const libraryDir = path.join(root, LIBRARY_DIR);
  const outDir = path.join(libraryDir, 'dist');
  const data = dataFiles(sourceDir);
  removePreviousOutput(libraryDir, outDir);
  // Recorded before anything is written: an interrupted build is cleaned up by the next one.
  const record = (files) => fs.writeFileSync(path.join(libraryDir, FILES_RECORD), `${JSON.stringify({ files }, null, 1)}\n`);
  const expected = walk(sourceDir).filter((rel) => rel.endsWith('.ts')).flatMap((rel) => [`${rel.slice(0, -3)}.js`, `${rel.slice(0, -3)}.d.ts`]);
  record([...expected, ...data].sort());
  compile(root, path.join(libraryDir, 'tsconfig.json'));
  for (const rel of data) {
    fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    fs.copyFileSync(path.join(sourceDir, rel), path.join(outDir, rel));
  }
  const files = walk(outDir);
  record(files);
  const problems = entryPointProblems(libraryDir);
  if (problems.length > 0) {
    throw new LibraryBuildError(`${LIBRARY_DIR}/package.json names files the build did not write:\n${problems.map((p) => `  - ${p}`).join('\n')}\nfix the path, or the source file it comes from under ${SOURCE_DIR}/`);
  }
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  return { outDir, files, compiled: files.filter((f) => f.endsWith('.js')).length, copied: data.length, ms };
}

/**
 * Builds, then packs library/ with `npm pack` into `destination`; returns the tarball's path and
 * npm's figures (bytes packed and unpacked, files).
 * @param {{ root?: string, destination?: string, npm?: string }} [options]
 */
function packLibrary(options = {}) {
  const root = options.root || ROOT;
  const libraryDir = path.join(root, LIBRARY_DIR);
  const destination = path.resolve(options.destination || libraryDir);
  const built = buildLibrary({ root });
  fs.mkdirSync(destination, { recursive: true });
  const npm = options.npm || 'npm';
  const run = spawnSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
    cwd: libraryDir,
    encoding: 'utf8',
    timeout: PACK_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
  if (run.error) throw new LibraryBuildError(`npm pack in ${LIBRARY_DIR}/: ${run.error.message}`);
  if (run.status !== 0) throw new LibraryBuildError(`npm pack in ${LIBRARY_DIR}/ failed (exit ${run.status}):\n${`${run.stdout}${run.stderr}`.trim()}`);
  let report;
  try {
    [report] = JSON.parse(run.stdout);
  } catch (e) {
    throw new LibraryBuildError(`npm pack in ${LIBRARY_DIR}/ printed no JSON report (${e.message}):\n${run.stdout.slice(0, 2000)}`);
  }
  return {
    tarball: path.join(destination, report.filename),
    size: report.size,
    unpackedSize: report.unpackedSize,
    files: report.files.map((f) => f.path).sort(),
    build: built,
  };
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command !== 'build' && command !== 'pack') {
    throw new LibraryBuildError(`usage: node scripts/build/library.js build | pack [--pack-destination DIR]; got ${JSON.stringify(argv.join(' '))}`);
  }
  let destination;
  for (let i = 0; i < rest.length; i++) {
    if (command === 'pack' && rest[i] === '--pack-destination' && rest[i + 1] !== undefined && !rest[i + 1].startsWith('--')) destination = rest[++i];
    else if (command === 'pack' && rest[i].startsWith('--pack-destination=')) destination = rest[i].slice('--pack-destination='.length);
    else throw new LibraryBuildError(`unknown argument ${JSON.stringify(rest[i])}; ${command === 'pack' ? 'pack takes only --pack-destination DIR' : 'build takes no argument'}`);
  }
  return { command, destination };
}

function main(argv) {
  try {
    const { command, destination } = parseArgs(argv);
    if (command === 'build') {
      const r = buildLibrary();
      process.stdout.write(`Library: compiled ${r.compiled} module(s), copied ${r.copied} data file(s) into ${path.relative(process.cwd(), r.outDir) || '.'} in ${r.ms} ms\n`);
    } else {
      const r = packLibrary({ destination });
      process.stdout.write(
        `Library: compiled ${r.build.compiled} module(s), copied ${r.build.copied} data file(s) in ${r.build.ms} ms\n` +
          `Packed ${r.files.length} file(s): ${r.tarball} (${(r.size / 1024).toFixed(0)} KiB; ${(r.unpackedSize / 1024).toFixed(0)} KiB unpacked)\n`,
      );
    }
    return 0;
  } catch (e) {
    if (!(e instanceof LibraryBuildError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
}

module.exports = { buildLibrary, packLibrary, dataFiles, entryPointProblems, manifestTargets, removePreviousOutput, parseArgs, LibraryBuildError, DATA_EXTENSIONS, LIBRARY_DIR, SOURCE_DIR };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
