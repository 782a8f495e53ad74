// Two steps after `cargo leptos build --release --split` (scripts/build-release.sh), issue 15:
//
// 1. Checks that the splitter moved each page's constant data (texts, tables) into that page's
//    chunks. When its packed layout does not fit, wasm_split_cli_support 0.2.3 silently leaves
//    all of it in the main module that every page loads (+50 KB brotli on every first load);
//    `SPLIT_DATA_SLACK` in src/lib.rs gives it room. Fails the build when the main module's
//    data is back above MAX_MAIN_DATA, saying what to raise.
// 2. Drops the debug comments from the chunk loader (`__wasm_split.<hash>.js`) and rewrites its
//    precompressed .br and .gz copies. Every page loads this file before it is interactive,
//    and cargo-leptos 0.3.10 minifies only the main JS glue. For each of the ~750 shared chunks
//    the splitter writes a line `/* <every route sharing the chunk> */`, over half of the
//    file (~5 KB brotli). The comments are whole lines of their own, so dropping those lines
//    cannot change the code.
// 3. Makes the chunk loader start a page's chunks a few at a time, yielding to the browser in
//    between. As generated, loading a page calls `fetch` and `instantiateStreaming` for every
//    chunk it needs in one go: 173 for the dashboard, one task of ~600 ms on this machine
//    (Chromium's `ResourceFetcher::requestResource` alone ~430 ms), and Lighthouse's whole
//    total blocking time (2.2 s on its simulated phone). Split into tasks of four chunks, the
//    same work leaves the page able to answer input between them; the bytes do not change.
//
//   node scripts/finish-split-build.mjs target/site/pkg
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'target/site/pkg';
const files = readdirSync(dir);
const loaders = files.filter((f) => /^__wasm_split\..*\.js$/.test(f));
if (loaders.length === 0) {
  console.log(`finish-split-build: no __wasm_split.*.js in ${dir} (not a --split build); nothing to do`);
  process.exit(0);
}

// The main module's data section today is ~70 KB (the shell's own constants); all pages'
// constants together are ~240 KB.
const MAX_MAIN_DATA = 140 * 1024;
// Hashed (`hash-files = true`) or not.
const mains = files.filter((f) => /^apm-portal(\.[^.]+)?\.wasm$/.test(f));
if (mains.length === 0) {
  console.error(`finish-split-build: no main module apm-portal*.wasm in ${dir}: nothing to check`);
  process.exit(1);
}
for (const name of mains) {
  const data = dataSectionBytes(readFileSync(join(dir, name)));
  console.log(`finish-split-build: ${name}: data section ${data} bytes`);
  if (data > MAX_MAIN_DATA) {
    console.error(
      `finish-split-build: the main WASM module carries ${data} bytes of data (limit ${MAX_MAIN_DATA}):\n` +
        `the splitter could not move the pages' constants into their chunks ("Overlong segment").\n` +
        `Raise SPLIT_DATA_SLACK in src/lib.rs (README "How to add a page").`,
    );
    process.exit(1);
  }
}

const comment = /^\/\* [^\n]*\*\/$/;
for (const name of loaders) {
  const path = join(dir, name);
  const before = readFileSync(path, 'utf8');
  const lines = before.split('\n');
  const kept = lines.filter((line) => !comment.test(line));
  const after = startChunksInSteps(kept.join('\n'), name);
  writeFileSync(path, after);
  const br = brotliCompressSync(Buffer.from(after), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(Buffer.from(after), { level: 9 }));
  console.log(
    `finish-split-build: ${name}: ${lines.length - kept.length} comment lines dropped, ` +
      `${before.length} -> ${after.length} bytes (brotli ${br.length})`,
  );
}

/**
 * The loader with each page's chunks started CHUNKS_PER_TASK at a time (step 3). Fails when
 * the generated code no longer has the expected shape, so a cargo-leptos upgrade is noticed
 * instead of silently bringing the long task back. Running it twice changes nothing.
 */
function startChunksInSteps(source, name) {
  const marker = 'const yieldToMain =';
  if (source.includes(marker)) return source;
  const generated = `    const loader = async () => {
        const parallelStuff = deps.map(d => d());
        const instantiate = fetcher();
`;
  const stepped = `    const loader = async () => {
        const instantiate = fetcher();
        const parallelStuff = [];
        for (let i = 0; i < deps.length; i++) {
            if (i > 0 && i % CHUNKS_PER_TASK === 0) await yieldToMain();
            parallelStuff.push(deps[i]());
        }
`;
  const helper = `const CHUNKS_PER_TASK = 4;
// scheduler.yield() resumes ahead of other queued tasks; setTimeout where it is missing.
${marker} () => (globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((r) => setTimeout(r, 0)));
function makeLoad(`;
  if (!source.includes(generated) || !source.includes('\nfunction makeLoad(')) {
    console.error(`finish-split-build: ${name}: makeLoad's loader is not the generated code this script knows; update step 3`);
    process.exit(1);
  }
  return source.replace(generated, stepped).replace('\nfunction makeLoad(', `\n${helper}`);
}

/** Size of the data section (id 11) of a WASM binary. */
function dataSectionBytes(bytes) {
  let i = 8; // magic and version
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return result;
    }
  };
  let data = 0;
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = leb();
    if (id === 11) data += size;
    i += size;
  }
  return data;
}
