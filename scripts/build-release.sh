#!/usr/bin/env bash
# The release build every script uses (run, test, bench): server binary and browser bundle.
# --split: every page is a lazy route with its own WASM chunk (README "How to add a page");
# without it the browser build has no chunks to load. Then scripts/finish-split-build.mjs
# checks that the pages' constants left the main module, and drops the debug comments
# cargo-leptos leaves in the chunk loader (issue 15).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# One release build at a time per cache: two at once write the same target/front files and
# wasm-opt then reads a half-written module ("Section extends beyond end of input").
mkdir -p "$CACHE"
exec 8>"$CACHE/build-release.lock"
flock 8
cargo leptos build --release --split --precompress
node scripts/finish-split-build.mjs target/site/pkg
