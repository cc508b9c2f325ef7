// Builds dist/editor.js, the lazily loaded CodeMirror bundle, with npm's esbuild.
//
// As a Trunk post-build hook (Trunk.toml) it copies the bundle, and www/embed-example.html, into
// Trunk's staging directory, which becomes dist/. esbuild runs only when an input changed: the
// bundle is cached in target/editor/ under a hash of every input (this directory's sources and
// package-lock.json, which pins the CodeMirror versions), so a rebuild of the Rust app alone
// costs a file copy. Also importable: `buildEditor()` returns the bundle's path (tests use it).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const cacheDir = join(repoRoot, 'target', 'editor');
export const bundleName = 'editor.js';
const entry = join(here, 'index.js');
/** Pages copied verbatim next to the app. */
const extraPages = [join(repoRoot, 'www', 'embed-example.html')];

/** sha256 over every input's name and bytes, in a fixed order. */
export function inputsHash() {
  const hash = createHash('sha256');
  const sources = readdirSync(here)
    .filter((name) => /\.(m?js)$/.test(name))
    .sort()
    .map((name) => join(here, name));
  for (const file of [...sources, join(repoRoot, 'package-lock.json')]) {
    hash.update(file.slice(repoRoot.length));
    hash.update('\0');
    hash.update(existsSync(file) ? readFileSync(file) : Buffer.alloc(0));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Returns { file, built }: the cached bundle's path and whether esbuild ran this time. */
export async function buildEditor({ force = false } = {}) {
  const file = join(cacheDir, bundleName);
  const stampFile = join(cacheDir, 'inputs.sha256');
  const stamp = inputsHash();
  if (!force && existsSync(file) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { file, built: false };
  }
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is missing from node_modules: run `npm ci` (cargo xtask does)');
  }
  mkdirSync(cacheDir, { recursive: true });
  await esbuild.build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    minify: true,
    format: 'iife',
    // Browsers the playground supports: WebAssembly with reference types (2021 and later).
    target: ['chrome100', 'firefox100', 'safari15'],
    legalComments: 'eof',
    logLevel: 'warning',
  });
  writeFileSync(stampFile, stamp);
  return { file, built: true };
}

export function sizes(file) {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main() {
  const staging = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!staging) {
    console.error('editor: give the output directory (or run through trunk, which sets TRUNK_STAGING_DIR)');
    process.exit(2);
  }
  const started = performance.now();
  const { file, built } = await buildEditor({ force: process.env.PODPLAY_EDITOR_FORCE === '1' });
  mkdirSync(staging, { recursive: true });
  copyFileSync(file, join(staging, bundleName));
  for (const page of extraPages) {
    if (existsSync(page)) copyFileSync(page, join(staging, page.slice(dirname(page).length + 1)));
  }
  const { raw, gzip } = sizes(file);
  const how = built ? `built in ${(performance.now() - started).toFixed(0)} ms` : 'unchanged, from cache';
  console.log(`editor ${bundleName}: ${kb(raw)} (gzip ${kb(gzip)}), ${how}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`editor: ${error.message ?? error}`);
    process.exit(1);
  });
}
