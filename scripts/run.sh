#!/usr/bin/env bash
# Install what is missing, build, and open Delegate Desk on the default database (a new
# database starts with the demo event). Arguments go to the app, e.g. --db PATH.
source "$(dirname "$0")/common.sh"
need_packages "${APP_PACKAGES[@]}"
need_rust
say "Building the app (the first build takes a few minutes)"
# The same build as the package's (scripts/package.sh): release, production asset protocol.
cargo build --release -p delegate-desk-app --features tauri/custom-protocol
say "Opening Delegate Desk"
exec "${CARGO_TARGET_DIR:-$ROOT/target}/release/delegate-desk" "$@"
