#!/usr/bin/env bash
# Benchmark: pgrelocate migrate (dump and stream strategies) vs pg_dump -Fd -j2 + pg_restore -j2 vs
# pgcopydb clone, on pgbench and Mastodon-shaped databases served by one throw-away PostgreSQL 15 on
# loopback. See bench/README.md.
#
# Environment:
#   BENCH_SCALES="20 60"       pgbench scale factors, one source database each (BENCH_SCALES=2 for a quick run)
#   BENCH_MASTODON_SCALES="2"  bench/mastodon.sql scale factors (1 = about 240 MB); empty: none
#   BENCH_STRATEGIES="dump stream"   pgrelocate strategies to time
#   BENCH_DIR=/tmp/pgrelocate-bench   where the work dir and results.txt live
#   BENCH_PORT=                loopback port for the bench server (default: a free one, never 5432)
#   BENCH_SKIP_PGRELOCATE=1    do not run pgrelocate (its columns show n/a)
#   BENCH_SKIP_PGCOPYDB=1      do not run (or install) pgcopydb
#   BENCH_KEEP=1               keep the work dir (server data, logs) at exit
#   PGRELOCATE_JAR=controller/target/quarkus-app/quarkus-run.jar
#   PGBIN=/usr/lib/postgresql/15/bin
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BENCH_DIR=${BENCH_DIR:-/tmp/pgrelocate-bench}
BENCH_SCALES=${BENCH_SCALES-20 60}
BENCH_MASTODON_SCALES=${BENCH_MASTODON_SCALES-2}
BENCH_STRATEGIES=${BENCH_STRATEGIES:-dump stream}
JAR=${PGRELOCATE_JAR:-controller/target/quarkus-app/quarkus-run.jar}
SKIP_PGR=${BENCH_SKIP_PGRELOCATE:-0}
SKIP_COPYDB=${BENCH_SKIP_PGCOPYDB:-0}
JOBS=2

# All client tools (ours, pgcopydb's, pgrelocate's) come from the same PostgreSQL 15 bin dir.
export PATH="$PGBIN:$PATH"
export PGRELOCATE_PG_BIN="$PGBIN"
unset PGPASSWORD PGSERVICE PGDATABASE PGOPTIONS 2>/dev/null || true

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit "${2:-1}"; }

# ---------------------------------------------------------------------------------------------
# Preconditions
# ---------------------------------------------------------------------------------------------
[[ -x $PGBIN/postgres ]] || die "PostgreSQL 15 server binaries not found in $PGBIN"
id postgres >/dev/null 2>&1 || die "OS user 'postgres' is missing (initdb/postgres refuse to run as root)"
command -v python3 >/dev/null || die "python3 is required"

if [[ $SKIP_PGR != 1 ]]; then
    if [[ ! -f $JAR ]]; then
        echo "pgrelocate jar not found: $JAR"
        echo "build first: mvn -q -DskipTests package"
        exit 2
    fi
    command -v java >/dev/null || die "java is required to run $JAR"
fi

mkdir -p "$BENCH_DIR"
HAVE_COPYDB=0
if [[ $SKIP_COPYDB != 1 ]]; then
    if ! command -v pgcopydb >/dev/null 2>&1; then
        log "pgcopydb not installed; trying apt-get install -y pgcopydb"
        if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgcopydb; } \
                >"$BENCH_DIR/apt.log" 2>&1; then
            log "pgcopydb installed"
        else
            tail -n 5 "$BENCH_DIR/apt.log" || true
        fi
    fi
    if command -v pgcopydb >/dev/null 2>&1; then
        HAVE_COPYDB=1
        log "pgcopydb: $(pgcopydb --version 2>&1 | grep -m1 -i 'pgcopydb' || echo present)"
    else
        echo "pgcopydb: not available"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Work dir and server
# ---------------------------------------------------------------------------------------------
chmod 755 "$BENCH_DIR" 2>/dev/null || true
WORK=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
chmod 755 "$WORK"
PGDIR=$WORK/pg            # data dir, socket dir and server log: owned by postgres
mkdir -p "$PGDIR" "$WORK/logs"
chown postgres: "$PGDIR"

SERVER_STARTED=0
cleanup() {
    local rc=$?
    set +e
    if [[ $SERVER_STARTED == 1 ]]; then
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1
    fi
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        echo "work dir kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n ${BENCH_PORT:-} ]]; then
    PORT=$BENCH_PORT
    [[ $PORT != 5432 ]] || die "refusing port 5432"
else
    PORT=$(python3 - <<'EOF'
import random, socket
for _ in range(200):
    p = random.randint(20000, 30000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break
EOF
)
fi
[[ -n $PORT ]] || die "no free port found"

log "initdb in $PGDIR/data"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust >"$WORK/logs/initdb.log" 2>&1 \
    || { tail -n 20 "$WORK/logs/initdb.log"; die "initdb failed"; }
log "starting PostgreSQL 15 on 127.0.0.1:$PORT"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_wal_size=4GB -c checkpoint_timeout=30min" \
    -l "$PGDIR/log" -w start >/dev/null \
    || { tail -n 20 "$PGDIR/log" 2>/dev/null; die "server did not start"; }
SERVER_STARTED=1

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGSSLMODE=disable
URI_BASE="postgresql://postgres@127.0.0.1:$PORT"

export PGDATABASE=postgres
psqlc() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() {  # ratio A B -> A/B with 2 decimals, or n/a
    if [[ $1 == n/a || $2 == n/a ]]; then echo n/a; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}
secs() { [[ $1 == n/a ]] && echo n/a || echo "$1 s"; }

CACHES_DROPPED=unknown
quiesce() {
    # Flush the server's dirty pages and (if allowed) the OS page cache so each tool starts cold-ish.
    psqlc -c 'CHECKPOINT' >/dev/null
    sync
    if (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
        CACHES_DROPPED=yes
    else
        CACHES_DROPPED=no
    fi
}

fresh_db() { dropdb --if-exists --force "$1" >/dev/null 2>&1 || true; createdb "$1"; }
drop_db() { dropdb --if-exists --force "$1" >/dev/null 2>&1 || true; }

show_failure() {  # show_failure NAME LOGFILE
    echo "  $1 failed; last lines of $2:"
    tail -n 20 "$2" | sed 's/^/    /'
}

# Parse a pgrelocate JSON report: prints "copy_seconds run_seconds result dump restore analyze".
parse_report() {
    python3 - "$1" <<'EOF'
import json, re, sys
from datetime import datetime

def dur(s):
    if not s:
        return 0.0
    m = re.fullmatch(r"(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(-?\d+(?:\.\d+)?)H)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)S)?)?", s)
    if not m:
        raise ValueError("bad duration " + s)
    d, h, mi, se = (float(x) if x else 0.0 for x in m.groups()[1:])
    v = d * 86400 + h * 3600 + mi * 60 + se
    return -v if m.group(1) else v

def inst(s):
    # Java instants: 2024-01-02T03:04:05.123456789Z -> trim fraction to microseconds for Python
    s = re.sub(r"(\.\d{6})\d+", r"\1", s.replace("Z", "+00:00"))
    return datetime.fromisoformat(s)

r = json.load(open(sys.argv[1]))
c = r.get("copy") or {}
# the copy's named phases in order: dump, restore, analyze (dump); dump, pre-data, data+indexes+post-data (stream)
phases = [dur(t) for t in (c.get("phases") or {}).values()]
parts = (phases + [0.0, 0.0, 0.0])[:3]
run = "n/a"
if r.get("started") and r.get("finished"):
    run = "%.1f" % (inst(r["finished"]) - inst(r["started"])).total_seconds()
copy = "%.1f" % sum(phases) if c else "n/a"
print(copy, run, r.get("result", "?"), *("%.1f" % p for p in parts))
EOF
}

# The stream strategy's phases and its biggest tables, from its JSON report.
stream_details() {
    python3 - "$1" <<'EOF'
import json, re, sys

def dur(s):
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", s or "PT0S")
    h, mi, se = (float(x) if x else 0.0 for x in m.groups())
    return h * 3600 + mi * 60 + se

s = json.load(open(sys.argv[1]))["copy"]["stream"]
tables = ", ".join("%s %s%s%s" % (t["table"], t["format"], " FREEZE" if t["freeze"] else "",
                                  " in %d ranges" % t["ranges"] if t["ranges"] > 1 else "") for t in s["tables"][:3])
print("data %.1fs (%.0f MiB/s), indexes after the data %.1fs, foreign keys %.1fs, post-data %.1fs; %s" % (
    dur(s["data"]), s["bytesPerSecond"] / 1048576, dur(s["indexes"]), dur(s.get("foreignKeys")), dur(s["postData"]), tables))
EOF
}

if (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
    log "page cache: can be dropped (sync + echo 3 > /proc/sys/vm/drop_caches before every tool run)"
else
    log "page cache: cannot be dropped here (no permission); runs are warm-cache"
fi

# ---------------------------------------------------------------------------------------------
# Datasets: pgbench (s<scale>: 4 tables, one big) and Mastodon-shaped (m<scale>: 20 tables, citext and
# text indexes under an ICU collation, FKs, jsonb, large objects). Targets get the source's locale.
# ---------------------------------------------------------------------------------------------
declare -A SIZE_PRETTY CREATE_OPTS SOURCE
DATASETS=()
for s in $BENCH_SCALES; do
    DATASETS+=("s$s")
    SOURCE[s$s]=src$s CREATE_OPTS[s$s]=""
done
for s in $BENCH_MASTODON_SCALES; do
    DATASETS+=("m$s")
    SOURCE[m$s]=mastodon$s
    CREATE_OPTS[m$s]="--template=template0 --locale-provider=icu --icu-locale=en-US --locale=C.UTF-8"
done
[[ ${#DATASETS[@]} -gt 0 ]] || die "no dataset: set BENCH_SCALES or BENCH_MASTODON_SCALES"

fresh_target() {  # fresh_target DATASET NAME: an empty database with the dataset's locale
    drop_db "$2"
    # shellcheck disable=SC2086
    createdb ${CREATE_OPTS[$1]} "$2"
}

for d in "${DATASETS[@]}"; do
    src=${SOURCE[$d]}
    fresh_target "$d" "$src"
    if [[ $d == s* ]]; then
        log "creating $src: pgbench -i -s ${d#s}"
        pgbench -i -q -s "${d#s}" "$src" >"$WORK/logs/create-$d.log" 2>&1 \
            || { show_failure pgbench "$WORK/logs/create-$d.log"; die "pgbench -i failed"; }
    else
        log "creating $src: bench/mastodon.sql scale ${d#m}"
        psqlc -d "$src" -v scale="${d#m}" -f "$REPO/bench/mastodon.sql" >"$WORK/logs/create-$d.log" 2>&1 \
            || { show_failure mastodon.sql "$WORK/logs/create-$d.log"; die "bench/mastodon.sql failed"; }
    fi
    psqlc -d "$src" -c 'VACUUM ANALYZE' >/dev/null
    SIZE_PRETTY[$d]=$(psqlc -At -c "SELECT pg_size_pretty(pg_database_size('$src'))")
    log "$src: pg_database_size = ${SIZE_PRETTY[$d]}"
done

# ---------------------------------------------------------------------------------------------
# Runs: one row per dataset and tool: total wall time, copy only, verify (pgrelocate only)
# ---------------------------------------------------------------------------------------------
ROWS=()
DETAILS=()
declare -A COPY TOTAL VERIFY
row() {  # row DATASET TOOL
    ROWS+=("$1|${SIZE_PRETTY[$1]}|$2|$(secs "${TOTAL[$1,$2]}")|$(secs "${COPY[$1,$2]}")|$(secs "${VERIFY[$1,$2]}")")
}
begin() {  # begin DATASET TOOL TARGET: n/a until measured, a fresh target, a flushed server
    COPY[$1,$2]=n/a TOTAL[$1,$2]=n/a VERIFY[$1,$2]=n/a
    fresh_target "$1" "$3"
    quiesce
}

for d in "${DATASETS[@]}"; do
    src=${SOURCE[$d]}

    # (1) pg_dump -Fd -j2 + pg_restore -j2 ------------------------------------------------------
    tool=pg_dump+restore t_dump=n/a t_restore=n/a
    tgt=pgd_$d dumpdir=$WORK/pgdump-$d lg=$WORK/logs/pgdump-$d.log
    rm -rf "$dumpdir"
    begin "$d" "$tool" "$tgt"
    log "$d: pg_dump -Fd -j$JOBS + pg_restore -j$JOBS  (caches dropped: $CACHES_DROPPED)"
    t0=$(now)
    if pg_dump -Fd -j"$JOBS" -f "$dumpdir" "$src" >"$lg" 2>&1; then
        t1=$(now)
        if pg_restore -j"$JOBS" --no-owner --no-acl -d "$tgt" "$dumpdir" >>"$lg" 2>&1; then
            t2=$(now)
            t_dump=$(elapsed "$t0" "$t1") t_restore=$(elapsed "$t1" "$t2")
            COPY[$d,$tool]=$(elapsed "$t0" "$t2") TOTAL[$d,$tool]=$(elapsed "$t0" "$t2")
            log "$d: pg_dump ${t_dump}s + pg_restore ${t_restore}s = ${COPY[$d,$tool]}s"
        else
            show_failure pg_restore "$lg"
        fi
    else
        show_failure pg_dump "$lg"
    fi
    rm -rf "$dumpdir"
    drop_db "$tgt"
    DETAILS+=("$d pg_dump+restore: pg_dump ${t_dump}s, pg_restore ${t_restore}s (no ANALYZE)")
    row "$d" "$tool"

    # (2) pgcopydb clone --------------------------------------------------------------------------
    tool=pgcopydb
    COPY[$d,$tool]=n/a
    if [[ $HAVE_COPYDB == 1 ]]; then
        tgt=cdb_$d lg=$WORK/logs/pgcopydb-$d.log
        rm -rf "$WORK/pgcopydb-$d"
        begin "$d" "$tool" "$tgt"
        log "$d: pgcopydb clone --table-jobs $JOBS --index-jobs $JOBS  (caches dropped: $CACHES_DROPPED)"
        t0=$(now)
        if pgcopydb clone --source "$URI_BASE/$src" --target "$URI_BASE/$tgt" \
                --table-jobs "$JOBS" --index-jobs "$JOBS" --dir "$WORK/pgcopydb-$d" >"$lg" 2>&1; then
            COPY[$d,$tool]=$(elapsed "$t0" "$(now)") TOTAL[$d,$tool]=${COPY[$d,$tool]}
            log "$d: pgcopydb ${COPY[$d,$tool]}s"
        else
            show_failure "pgcopydb clone" "$lg"
        fi
        rm -rf "$WORK/pgcopydb-$d"
        drop_db "$tgt"
        row "$d" "$tool"
    fi

    # (3) pgrelocate migrate, once per strategy ---------------------------------------------------
    [[ $SKIP_PGR != 1 ]] || continue
    for strategy in $BENCH_STRATEGIES; do
        tool="pgrelocate-$strategy"
        tgt=pgr_${strategy}_$d lg=$WORK/logs/pgrelocate-$strategy-$d.log report=$WORK/pgr-$strategy-$d.json
        rm -rf "$WORK/pgr-$d" "$report"
        begin "$d" "$tool" "$tgt"
        log "$d: pgrelocate migrate --strategy $strategy --jobs $JOBS  (caches dropped: $CACHES_DROPPED)"
        t0=$(now)
        rc=0
        java -jar "$JAR" migrate \
            --source "$URI_BASE/$src?sslmode=disable" --target "$URI_BASE/$tgt?sslmode=disable" \
            --strategy "$strategy" --jobs "$JOBS" --work-dir "$WORK/pgr-$d" --report "$report" >"$lg" 2>&1 || rc=$?
        t1=$(now)
        if [[ $rc == 0 ]]; then
            TOTAL[$d,$tool]=$(elapsed "$t0" "$t1")
            if [[ -f $report ]] && parsed=$(parse_report "$report" 2>>"$lg"); then
                read -r t_copy run_s result p_dump p_restore p_analyze <<<"$parsed"
                COPY[$d,$tool]=$t_copy
                VERIFY[$d,$tool]=$(awk -v a="$run_s" -v b="$t_copy" 'BEGIN{printf "%.1f", a-b}')
                log "$d: $tool ${TOTAL[$d,$tool]}s wall (report: started->finished ${run_s}s, result $result;" \
                    "copy ${t_copy}s = ${p_dump}s + ${p_restore}s + ${p_analyze}s by phase)"
                DETAILS+=("$d $tool: wall ${TOTAL[$d,$tool]}s = JVM start $(awk -v a="${TOTAL[$d,$tool]}" -v b="$run_s" 'BEGIN{printf "%.1f", a-b}')s + report started->finished ${run_s}s; copy ${t_copy}s (phases ${p_dump}s, ${p_restore}s, ${p_analyze}s: dump, restore, analyze; stream: schema dump, pre-data, data+indexes+post-data); preflight+verify ${VERIFY[$d,$tool]}s")
                if [[ $strategy == stream ]]; then
                    DETAILS+=("$d $tool: $(stream_details "$report")")
                fi
            else
                echo "  pgrelocate: could not read the copy timings from $report"
            fi
        else
            echo "  pgrelocate exited with $rc"
            show_failure pgrelocate "$lg"
        fi
        rm -rf "$WORK/pgr-$d"
        drop_db "$tgt"
        row "$d" "$tool"
    done
done

# ---------------------------------------------------------------------------------------------
# Results: speed-ups against pg_dump+restore and pgcopydb on the same dataset in the same run
# ---------------------------------------------------------------------------------------------
RESULTS=$BENCH_DIR/results.txt
{
    echo "# pgrelocate bench $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(nproc) cores, PostgreSQL $(postgres --version | awk '{print $3}'), loopback 127.0.0.1:$PORT, jobs=$JOBS, page cache dropped between runs: $CACHES_DROPPED"
    fmt='%-8s %-9s %-18s %-9s %-9s %-9s %-13s %-14s %s\n'
    # shellcheck disable=SC2059
    printf "$fmt" dataset size tool total copy verify "pg_dump/copy" "pgcopydb/copy" "pg_dump/total"
    for r in "${ROWS[@]}"; do
        IFS='|' read -r -a f <<<"$r"
        d=${f[0]} tool=${f[2]}
        # shellcheck disable=SC2059
        printf "$fmt" "${f[@]}" "$(ratio "${COPY[$d,pg_dump+restore]}" "${COPY[$d,$tool]}")" \
            "$(ratio "${COPY[$d,pgcopydb]}" "${COPY[$d,$tool]}")" "$(ratio "${COPY[$d,pg_dump+restore]}" "${TOTAL[$d,$tool]}")"
    done
    echo
    echo "# speed-ups, higher is faster: pg_dump/copy = (pg_dump+pg_restore time) / (this tool's copy time);"
    echo "# pg_dump/total compares the whole run (for pgrelocate: JVM start, preflight, copy and verification of every row)"
    for d in "${DETAILS[@]}"; do echo "# $d"; done
} | tee "$RESULTS"
log "results saved to $RESULTS"
