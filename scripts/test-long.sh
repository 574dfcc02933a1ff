#!/usr/bin/env bash
# The long variants of the proofs, too slow for every run: 500 kill -9 rounds of CLI writers
# against one database (an SQLite file, then a roster on a PostgreSQL server), and the property
# tests with 20 times as many cases. Run after ./scripts/test.sh has installed what the tests
# need; takes about 20 minutes on 2 cores (the server run about 5).
source "$(dirname "$0")/common.sh"
need_rust
say "kill -9: 500 rounds on an SQLite file (release build)"
DD_KILL_ROUNDS=${DD_KILL_ROUNDS:-500} cargo test -p delegate-desk --release --test crash -- --nocapture
say "kill -9: 500 rounds on a PostgreSQL server (release build, throwaway cluster)"
DD_KILL_ROUNDS=${DD_KILL_ROUNDS:-500} pg_virtualenv env DELEGATE_DESK_TEST_PG=1 \
  cargo test -p delegate-desk --release --test crash -- --nocapture
say "Property tests: 20 times the cases"
DD_PROPERTY_SCALE=${DD_PROPERTY_SCALE:-20} cargo test -p delegate-desk --release --test properties
