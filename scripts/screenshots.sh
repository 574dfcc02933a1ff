#!/usr/bin/env bash
# Take the screenshots of the operator's guide (docs/guide.md) and the README again, from the
# running window under Xvfb on demo data: the end-to-end tour (tests/e2e/tests/tour.rs) walks
# every screen the guide shows, checks it, and leaves one PNG per step in docs/screenshots/,
# with the printed badge sheet rendered from its PDF.
source "$(dirname "$0")/common.sh"
need_packages "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
need_rust
need_tauri_driver
cargo build -p delegate-desk-app
shots="$ROOT/docs/screenshots"
rm -rf "$shots" && mkdir -p "$shots"
E2E_SCREENSHOTS="$shots" cargo test -p delegate-desk-e2e --test e2e -- --test-threads=1 tour::
say "Screenshots in docs/screenshots:"
ls "$shots"
