#!/usr/bin/env bash
# The release build every script uses (run, test, bench): server binary and browser bundle.
# Islands (issue 15): the WASM holds only the `#[island]` components, so there is nothing to
# split; the bundle is one small module loaded when the browser is first idle.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# One release build at a time per cache: two at once write the same target/front files and
# wasm-opt then reads a half-written module ("Section extends beyond end of input").
mkdir -p "$CACHE"
exec 8>"$CACHE/build-release.lock"
flock 8
cargo leptos build --release --precompress
# A build left over from the split days would otherwise be served beside the new one.
rm -f target/site/pkg/__wasm_split* target/site/pkg/split_* 2>/dev/null || true
