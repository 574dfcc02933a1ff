#!/usr/bin/env bash
# 100 badges as whole processes: the desk's CLI against the same badges made with ReportLab
# (benches/reportlab/badges.py), each run RUNS times in turn, on the same database of 100
# registered people; prints every run, the medians, their ratio and both PDFs' sizes.
# ReportLab is installed into a throwaway virtualenv; nothing outside a temporary folder is
# written. Usage: scripts/compare-reportlab.sh [RUNS]   (default 11). docs/speed.md has the figures.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS=${1:-11}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

say "Building the CLI (release)"
cargo build -q --release -p delegate-desk --bin delegate-desk-cli
CLI="${CARGO_TARGET_DIR:-$ROOT/target}/release/delegate-desk-cli"

say "Installing ReportLab into a throwaway virtualenv"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q reportlab

say "A database of 100 registered people"
python3 - "$WORK/people.csv" <<'PY'
import sys
d = ["Jamaica", "Trinidad and Tobago", "Curaçao", "CDEMA", "France", "Haiti", "Press"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("rank,given_name,family_name,position,organization,delegation,category,email\n")
    for i in range(100):
        f.write(f'Lt. Col.,Hélène{i},Dupré-Bâtard,Head of Maritime Security,"Ministry of National Security, Office {i}",{d[i % 7]},Delegate,p{i}@example.org\n')
PY
export DELEGATE_DESK_OUTPUT_DIR="$WORK/out" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$DELEGATE_DESK_OUTPUT_DIR"
"$CLI" --db "$WORK/base.sqlite3" event set --capacity 100 > /dev/null
"$CLI" --db "$WORK/base.sqlite3" import --register "$WORK/people.csv" > /dev/null

# One run: a fresh copy of the database (the desk records the prints), then the process.
desk() {
  cp "$WORK/base.sqlite3" "$WORK/run.sqlite3"
  rm -f "$WORK/run.sqlite3-wal" "$WORK/run.sqlite3-shm"
  local t0 t1
  t0=$(date +%s%N)
  "$CLI" --db "$WORK/run.sqlite3" badges --all --preset insert-4x3 -o "$WORK/desk.pdf" > /dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
}
reportlab() {
  local t0 t1
  t0=$(date +%s%N)
  "$WORK/venv/bin/python" "$ROOT/benches/reportlab/badges.py" "$WORK/base.sqlite3" "$WORK/reportlab.pdf"
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
}
desk > /dev/null; reportlab > /dev/null   # warm-up: caches, not counted
D=(); R=()
for _ in $(seq "$RUNS"); do D+=("$(desk)"); R+=("$(reportlab)"); done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
dm=$(median "${D[@]}"); rm_=$(median "${R[@]}")
echo "desk (µs):      ${D[*]}"
echo "ReportLab (µs): ${R[*]}"
awk -v d="$dm" -v r="$rm_" 'BEGIN { printf "median: desk %.1f ms, ReportLab %.1f ms: %.1f× faster\n", d / 1000, r / 1000, r / d }'
echo "PDF size: desk $(stat -c %s "$WORK/desk.pdf") bytes, ReportLab $(stat -c %s "$WORK/reportlab.pdf") bytes"
