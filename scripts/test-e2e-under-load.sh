#!/usr/bin/env bash
# The end-to-end suite, run several times in a row while `stress` keeps every CPU busy beside
# it: the tests wait for conditions, never for a fixed time, so a loaded machine (a build
# next to them, CI's neighbours) must not make them fail. Stops at the first failing run.
#
#   ./scripts/test-e2e-under-load.sh [RUNS]      (default 5; after ./scripts/test.sh, which
#                                                 builds the packaged window it drives)
source "$(dirname "$0")/common.sh"
need_packages "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}" stress
need_rust
need_tauri_driver
need_axe
# The same builds as the test command's (its debug builds carry the lints), so nothing compiles again.
lints_in_builds
runs=${1:-5}
export DELEGATE_DESK_APP="${CARGO_TARGET_DIR:-$ROOT/target}/release/delegate-desk"
if [ ! -x "$DELEGATE_DESK_APP" ]; then
  echo "error: $DELEGATE_DESK_APP is missing; run ./scripts/package.sh (or ./scripts/test.sh) first" >&2
  exit 1
fi
# Built before the load starts, so that the runs time the tests, not their build.
cargo test -p delegate-desk-e2e --no-run
stress --cpu "$(nproc)" >/dev/null 2>&1 &
load=$!
trap 'kill "$load" 2>/dev/null || true' EXIT
for i in $(seq 1 "$runs"); do
  say "End to end under load: run $i of $runs ($(nproc) CPUs kept busy by stress)"
  start=$(date +%s)
  cargo test -p delegate-desk-e2e -- --test-threads="$E2E_AT_ONCE"
  say "Run $i passed in $(( $(date +%s) - start )) s"
done
say "All $runs runs passed under load"
