// Trunk post-build hook (Trunk.toml): shrink the app's wasm with npm's binaryen.
//
// Why not Trunk's own wasm-opt: it would use Debian's binaryen 108, which rejects what rustc 1.95
// emits ("invalid code after misc prefix"); npm's binaryen 132 reads it (shared/design/toolchain.md).
// Debug builds are left alone so `trunk serve` stays quick.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const profile = process.env.TRUNK_PROFILE ?? 'debug';
const staging = process.env.TRUNK_STAGING_DIR;
if (profile !== 'release') {
  console.log(`wasm-opt: skipped (${profile} build)`);
  process.exit(0);
}
if (!staging) {
  console.error('wasm-opt: TRUNK_STAGING_DIR is not set; run this through trunk');
  process.exit(2);
}
// Trunk runs hooks in the directory of Trunk.toml, which is where node_modules lives.
const wasmOpt = join('node_modules', '.bin', 'wasm-opt');
if (!existsSync(wasmOpt)) {
  console.error('wasm-opt: node_modules/.bin/wasm-opt is missing; run `npm ci` (cargo xtask does)');
  process.exit(2);
}

// Exactly the features rustc 1.95 enables by default for wasm32-unknown-unknown. Not
// `--all-features`: binaryen 132 then rewrites imports into its compact-imports encoding, which
// Chromium rejects ("Invalid import kind 126, enable with --wasm-compact-imports").
const features = [
  '--enable-bulk-memory',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-reference-types',
  '--enable-multivalue',
];

const wasms = readdirSync(staging).filter((name) => name.endsWith('.wasm'));
if (wasms.length === 0) {
  console.error(`wasm-opt: no .wasm file in ${staging}`);
  process.exit(2);
}
for (const name of wasms) {
  const file = join(staging, name);
  const before = statSync(file).size;
  const run = spawnSync(wasmOpt, ['-Oz', ...features, file, '-o', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`wasm-opt: failed on ${name} (status ${run.status ?? run.signal})`);
    process.exit(1);
  }
  const after = statSync(file).size;
  console.log(`wasm-opt -Oz: ${name} ${kb(before)} -> ${kb(after)}`);
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(0)} KB`;
}
