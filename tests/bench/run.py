#!/usr/bin/python3
"""
make bench — throughput and memory of the real stack, measured, never asserted.

Starts a private stack with the integration harness (MariaDB, SMTP sink, kenpod,
nginx on loopback), then for each case runs wrk three times and reports the
median requests/s and the median p99 latency; finally the RSS of the workers
before and after the load. These machines are noisy: compare medians and ratios
(e.g. a page against the static-file baseline), not single numbers.

Usage: tests/bench/run.py [--duration 5] [--connections 32] [--workers 2]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import conftest  # noqa: E402  (the harness: Stack, Frontend)

CASES = [
    ("static file (nginx only)", "/static/css/kenpo.css"),
    ("/healthz (kenpod + DB ping)", "/healthz"),
    ("/ (template page)", "/"),
    ("404 page", "/no-such-page"),
    ("/login (CAPTCHA off)", "/login"),
    ("/signup (form)", "/signup"),
]


def rss_kb(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def wrk(url, duration, conns):
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(non2xx.group(1)) if non2xx else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    os.environ["KENPO_TEST_CONFIG"] = f"Server.Workers={a.workers};Server.LogLevel=warn"
    stack = conftest.Stack()
    try:
        stack.start()
        base = stack.base_url
        before = rss_kb(stack.worker_pids())
        print(f"kenpo bench: {a.workers} workers, wrk -t2 -c{a.connections} "
              f"-d{a.duration}s, 3 runs each, medians (2 cores shared with wrk)")
        print(f"{'case':34} {'req/s':>10} {'p99 ms':>8} {'vs static':>10}")
        baseline = None
        for name, path in CASES:
            runs = [wrk(base + path, a.duration, a.connections) for _ in range(3)]
            rps = statistics.median(r[0] for r in runs)
            p99 = statistics.median(r[1] for r in runs)
            bad = sum(r[2] for r in runs)
            if baseline is None:
                baseline = rps
            note = f"  ({bad} non-2xx/3xx)" if bad and "404" not in name else ""
            print(f"{name:34} {rps:10.0f} {p99:8.2f} {rps / baseline:9.2f}x{note}")
        after = rss_kb(stack.worker_pids())
        print(f"worker RSS: {before} KiB before, {after} KiB after the load "
              f"({len(stack.worker_pids())} workers)")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
