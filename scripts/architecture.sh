#!/usr/bin/env bash
# Draw the module graph of docs/architecture.md again from the code (tests/layers.rs reads
# every crate:: path of src/ with lib.rs's re-exports resolved), then check the layers: no
# circle between the core's modules, no source file over 800 lines.
source "$(dirname "$0")/common.sh"
need_rust
UPDATE_ARCHITECTURE=1 cargo test -p delegate-desk --test layers -- --test-threads=1
say "Module graph drawn in docs/architecture.md; look at the change with: git diff docs/architecture.md"
