#!/usr/bin/env python3
"""Runs one command and prints what it cost, as one tab-separated line on stdout:

    rc wall machine_cpu own_cpu peak_rss_mib load1_before load1_after mark_wall mark_machine_cpu mark_own_cpu tool_cpu by_database mark_tool_cpu mark_by_database

machine_cpu: user+nice+system+irq+softirq of every CPU from /proc/stat, before and after: every
process on the host, the other tenants' too. own_cpu: the bench server's processes (the postmaster,
its children alive now and the exited ones it reaped, which the kernel adds to its cutime/cstime)
plus the command and all its descendants. peak_rss: the largest single process among the command's
descendants (getrusage(RUSAGE_CHILDREN).ru_maxrss). The mark_* columns are the same figures at the
moment a line matching --mark first appears in the log (pgrelocate: the copy ends and the verify
starts); without a mark they repeat the totals. tool_cpu: the command and its descendants alone.
by_database: CPU seconds of the server's backends per database (from their process titles,
sampled every 0.1 s, so backends that live less than that are missed), e.g. "src20=3.1,bench_target=4.2".

usage: measure.py POSTMASTER_PID LOGFILE [--mark REGEX] -- command args...
"""
import os
import re
import resource
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def machine_cpu():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / HZ  # user nice system irq softirq


def proc_stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    return s[s.rindex(")") + 2:].split()  # fields from "state" on; the name may hold spaces


def tree_cpu(root):
    """root's utime+stime+cutime+cstime plus utime+stime of its live children."""
    try:
        total = sum(int(x) for x in proc_stat(root)[11:15])
    except OSError:
        return 0.0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                c = proc_stat(int(d))
            except (OSError, ValueError):
                continue
            if int(c[1]) == root:
                total += int(c[11]) + int(c[12])
    return total / HZ


def backends(root, seen):
    """Records the CPU of each live backend of root under the database its process title names."""
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                c = proc_stat(int(d))
                if int(c[1]) != root:
                    continue
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    title = f.read().replace(b"\0", b" ").decode(errors="replace").split()
            except (OSError, ValueError):
                continue
            # "postgres: USER DATABASE HOST(PORT) STATE"; background workers have other titles
            db = title[2] if len(title) > 3 and title[0] == "postgres:" and "(" in title[3] else "background"
            seen[int(d)] = (db, (int(c[11]) + int(c[12])) / HZ)


def load1():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    args = sys.argv[1:]
    cmd = args[args.index("--") + 1:]
    opts = args[:args.index("--")]
    postmaster, log = int(opts[0]), opts[1]
    mark = re.compile(opts[opts.index("--mark") + 1].encode(), re.M) if "--mark" in opts else None
    l0, m0, s0, t0 = load1(), machine_cpu(), tree_cpu(postmaster), time.monotonic()
    marked = None
    seen = {}
    backends(postmaster, seen)
    before = dict(seen)
    with open(log, "ab") as out:
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        offset = os.path.getsize(log)
        while True:
            try:
                child.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                pass
            backends(postmaster, seen)
            if mark and marked is None:
                with open(log, "rb") as f:
                    f.seek(offset)
                    chunk = f.read()
                nl = chunk.rfind(b"\n")
                if nl >= 0:
                    offset += nl + 1
                    if mark.search(chunk[:nl]):
                        marked = (time.monotonic() - t0, machine_cpu() - m0,
                                  tree_cpu(postmaster) - s0 + tree_cpu(child.pid), tree_cpu(child.pid), split(seen, before))
    rc = child.returncode
    t1, m1, s1, l1 = time.monotonic(), machine_cpu(), tree_cpu(postmaster), load1()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (t1 - t0, m1 - m0, s1 - s0 + ru.ru_utime + ru.ru_stime)
    tool = ru.ru_utime + ru.ru_stime
    m = marked or total + (tool, split(seen, before))
    print("%d\t%.2f\t%.2f\t%.2f\t%.0f\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%.2f\t%s" % (
        rc, total[0], total[1], total[2], ru.ru_maxrss / 1024, l0, l1, m[0], m[1], m[2], tool, split(seen, before), m[3], m[4]))


def split(seen, before):
    per_db = {}
    for pid, (db, cpu) in seen.items():
        per_db[db] = per_db.get(db, 0.0) + cpu - (before[pid][1] if pid in before else 0.0)
    return ",".join("%s=%.1f" % (k, v) for k, v in sorted(per_db.items()) if v >= 0.05) or "-"


main()
