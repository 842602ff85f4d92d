#!/usr/bin/env python3
"""Medians, spreads and speed-ups from bench/run.sh's raw runs (one line per tool run).

usage: summarize.py RUNS.tsv
Raw columns: round dataset size tool rc wall copy verify machine_cpu own_cpu peak_mib load0 load1
             copy_machine_cpu copy_own_cpu tool_cpu cpu_by_database
"""
import statistics
import sys
from collections import OrderedDict

COLS = "round dataset size tool rc wall copy verify mcpu own rss load0 load1 cmcpu cown".split()
BASE, PEER = "pg_dump+restore", "pgcopydb"


def num(v):
    return None if v in ("n/a", "", None) else float(v)


runs = OrderedDict()
for line in open(sys.argv[1]):
    if not line.strip() or line.startswith("#"):
        continue
    r = dict(zip(COLS, line.rstrip("\n").split("\t")))
    key = (r["dataset"], r["tool"])
    runs.setdefault(key, {"size": r["size"], "ok": [], "failed": 0})
    if r["rc"] == "0" and num(r["copy"]) is not None:
        runs[key]["ok"].append(r)
    else:
        runs[key]["failed"] += 1


def med(key, col):
    vals = [num(r[col]) for r in runs.get(key, {"ok": []})["ok"] if num(r[col]) is not None]
    return statistics.median(vals) if vals else None


def spread(key, col):
    vals = [num(r[col]) for r in runs[key]["ok"] if num(r[col]) is not None]
    if not vals:
        return "n/a"
    return "%.1f [%.1f-%.1f]" % (statistics.median(vals), min(vals), max(vals))


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else "%.2f" % (a / b)


fmt = "%-7s %-8s %-18s %-4s %-18s %-18s %-6s %-18s %-18s %-6s %-7s %-8s %-7s %-7s %s"
print(fmt % ("dataset", "size", "tool", "n", "copy s", "total s", "verify", "cpu(copy) machine", "cpu(copy) own",
             "peakMiB", "×pgdump", "×copydb", "×pgdump", "cpu/pgd", "own/pgd"))
print(fmt % ("", "", "", "", "median [min-max]", "median [min-max]", "", "median [min-max] s", "median [min-max] s",
             "", "copy", "copy", "total", "machine", ""))
for (d, tool), v in runs.items():
    k = (d, tool)
    n = "%d%s" % (len(v["ok"]), "/%d" % (len(v["ok"]) + v["failed"]) if v["failed"] else "")
    peak = max((num(r["rss"]) for r in v["ok"]), default=None)
    print(fmt % (d, v["size"], tool, n, spread(k, "copy"), spread(k, "wall"),
                 "%.1f" % med(k, "verify") if med(k, "verify") is not None else "n/a",
                 spread(k, "cmcpu"), spread(k, "cown"),
                 "%.0f" % peak if peak is not None and tool.startswith("pgrelocate") else "-",
                 ratio(med((d, BASE), "copy"), med(k, "copy")), ratio(med((d, PEER), "copy"), med(k, "copy")),
                 ratio(med((d, BASE), "copy"), med(k, "wall")),
                 ratio(med(k, "cmcpu"), med((d, BASE), "cmcpu")), ratio(med(k, "cown"), med((d, BASE), "cown"))))
loads = [num(r["load0"]) for v in runs.values() for r in v["ok"]] + [num(r["load1"]) for v in runs.values() for r in v["ok"]]
if loads:
    print("\n# load average (1 min) at the runs' starts and ends: median %.1f, min %.1f, max %.1f"
          % (statistics.median(loads), min(loads), max(loads)))
