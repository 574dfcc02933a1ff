#!/usr/bin/env bash
# The long variants of the proofs, too slow for every run: 500 kill -9 rounds of CLI writers
# against one database, and the property tests with 20 times as many cases. Run after
# ./scripts/test.sh has installed what the tests need; takes about 15 minutes on 2 cores.
source "$(dirname "$0")/common.sh"
need_rust
say "kill -9: 500 rounds (release build)"
DD_KILL_ROUNDS=${DD_KILL_ROUNDS:-500} cargo test -p delegate-desk --release --test crash -- --nocapture
say "Property tests: 20 times the cases"
DD_PROPERTY_SCALE=${DD_PROPERTY_SCALE:-20} cargo test -p delegate-desk --release --test properties
