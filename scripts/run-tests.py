#!/usr/bin/env python3
"""Run a package's test programs two at a time, as `cargo test` would one after another.

    scripts/run-tests.py [--jobs N] -- CARGO_TEST_ARGS... [-- TEST_ARGS...]

`cargo test` runs each test program of the core (the unit tests and the 36 files under tests/)
in turn, and each program's tests side by side; the last, longest tests of each program then
leave a core idle (the core's pass kept the two cores 70 % busy). This builds the programs
with `cargo test --no-run CARGO_TEST_ARGS`, runs N programs at a time from the package's folder
(as cargo does), prints each program's output whole when it ends, and fails if any program
failed, after all have run (as `--no-fail-fast`).

Not for the PostgreSQL pass: there two programs at once slowed each other down as much as they
gained (189 s against 194 s), and one of them stops the test cluster the others use.
"""

import json
import os
import subprocess
import sys
import threading
import time

# The longest programs first, so that the last to start are short ones (measured on
# 7 Dec 2026; any program not named here follows, in cargo's order).
LONGEST_FIRST = ["concurrency", "properties", "cli", "delegate_desk", "checkin", "crash", "secrets",
                 "hardening", "damaged_files", "backup", "badges", "import", "printers"]


def main():
    args = sys.argv[1:]
    jobs = 2
    while args and args[0] != "--":
        if args[0] == "--jobs":
            jobs = int(args[1])
            args = args[2:]
        else:
            sys.exit(f"run-tests.py: unknown option {args[0]}")
    cargo_args = args[1:]
    # As with `cargo test`, what follows a second `--` is for the test programs (filters, …).
    test_args = []
    if "--" in cargo_args:
        at = cargo_args.index("--")
        cargo_args, test_args = cargo_args[:at], cargo_args[at + 1:]

    built = subprocess.run(["cargo", "test", "--no-run", "--message-format=json-render-diagnostics", *cargo_args],
                           stdout=subprocess.PIPE, check=False)
    if built.returncode != 0:
        sys.exit(built.returncode)
    # Each program: its name, the command that runs it, the folder it runs in, and how it is
    # shown when it ends.
    programs = []
    for line in built.stdout.decode().splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable") and message["profile"]["test"]:
            exe, folder = message["executable"], os.path.dirname(message["manifest_path"])
            programs.append((message["target"]["name"], [exe, *test_args], folder, os.path.relpath(exe, folder)))
    if not programs:
        sys.exit("run-tests.py: no test program was built")
    # `cargo test` also runs the library's documentation examples when no target is chosen:
    # one more program here, built by rustdoc as it runs.
    chosen = ("--test", "--tests", "--lib", "--bin", "--bins", "--example", "--examples", "--bench",
              "--benches", "--all-targets", "--doc")
    if not any(a.split("=")[0] in chosen for a in cargo_args):
        doc = ["cargo", "test", "--doc", *cargo_args, "--", *test_args]
        programs.append(("doc-tests", doc, None, " ".join(doc)))
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    programs.sort(key=lambda p: rank.get(p[0], len(rank)))

    lock = threading.Lock()
    failed, ran = [], []

    def run(program):
        name, command, folder, shown = program
        # Said when it starts, so that a program that hangs is named before its output is.
        with lock:
            print(f"     Running {name}", flush=True)
        start = time.monotonic()
        try:
            done = subprocess.run(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            output, ok = done.stdout, done.returncode == 0
        except OSError as e:
            output, ok = f"error: cannot run {shown}: {e}\n".encode(), False
        with lock:
            print(f"     Ran {name} ({shown}) in {time.monotonic() - start:.1f} s", flush=True)
            sys.stdout.buffer.write(output)
            sys.stdout.flush()
            ran.append(name)
            if not ok:
                failed.append(name)

    queue = list(programs)

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                program = queue.pop(0)
            run(program)

    threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # A program that did not run (a worker stopped by an error of this script) is a failure too.
    failed += [p[0] for p in programs if p[0] not in ran]
    if failed:
        print(f"error: test programs failed or did not run: {', '.join(failed)}", file=sys.stderr)
        sys.exit(101)


if __name__ == "__main__":
    main()
