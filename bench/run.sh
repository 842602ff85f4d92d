#!/usr/bin/env bash
# Benchmark: pgrelocate migrate (dump strategy) vs pg_dump -Fd -j2 + pg_restore -j2 vs pgcopydb clone,
# on pgbench databases served by one throw-away PostgreSQL 15 on loopback. See bench/README.md.
#
# Environment:
#   BENCH_SCALES="20 60"       pgbench scale factors, one source database each (BENCH_SCALES=2 for a quick run)
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
BENCH_SCALES=${BENCH_SCALES:-20 60}
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
parts = [dur(c.get(k)) for k in ("dump", "restore", "analyze")]
run = "n/a"
if r.get("started") and r.get("finished"):
    run = "%.1f" % (inst(r["finished"]) - inst(r["started"])).total_seconds()
copy = "%.1f" % sum(parts) if c else "n/a"
print(copy, run, r.get("result", "?"), *("%.1f" % p for p in parts))
EOF
}

if (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
    log "page cache: can be dropped (sync + echo 3 > /proc/sys/vm/drop_caches before every tool run)"
else
    log "page cache: cannot be dropped here (no permission); runs are warm-cache"
fi

# ---------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------
declare -A SIZE_PRETTY
for s in $BENCH_SCALES; do
    src=src$s
    log "creating $src: pgbench -i -s $s"
    fresh_db "$src"
    pgbench -i -q -s "$s" "$src" >"$WORK/logs/pgbench-$s.log" 2>&1 \
        || { show_failure pgbench "$WORK/logs/pgbench-$s.log"; die "pgbench -i failed"; }
    psqlc -d "$src" -c 'VACUUM ANALYZE' >/dev/null
    SIZE_PRETTY[$s]=$(psqlc -At -c "SELECT pg_size_pretty(pg_database_size('$src'))")
    bytes=$(psqlc -At -c "SELECT pg_database_size('$src')")
    log "$src: pg_database_size = ${SIZE_PRETTY[$s]} ($bytes bytes)"
done

# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------
ROWS=()
DETAILS=()
for s in $BENCH_SCALES; do
    src=src$s

    # (1) pg_dump -Fd -j2 + pg_restore -j2 ------------------------------------------------------
    t_dump=n/a t_restore=n/a t_pgdump=n/a
    tgt=pgd$s dumpdir=$WORK/pgdump-$s lg=$WORK/logs/pgdump-$s.log
    rm -rf "$dumpdir"
    fresh_db "$tgt"
    quiesce
    log "s$s: pg_dump -Fd -j$JOBS + pg_restore -j$JOBS  (caches dropped: $CACHES_DROPPED)"
    t0=$(now)
    if pg_dump -Fd -j"$JOBS" -f "$dumpdir" "$src" >"$lg" 2>&1; then
        t1=$(now)
        if pg_restore -j"$JOBS" --no-owner --no-acl -d "$tgt" "$dumpdir" >>"$lg" 2>&1; then
            t2=$(now)
            t_dump=$(elapsed "$t0" "$t1") t_restore=$(elapsed "$t1" "$t2") t_pgdump=$(elapsed "$t0" "$t2")
            log "s$s: pg_dump ${t_dump}s + pg_restore ${t_restore}s = ${t_pgdump}s"
        else
            show_failure pg_restore "$lg"
        fi
    else
        show_failure pg_dump "$lg"
    fi
    rm -rf "$dumpdir"
    drop_db "$tgt"
    DETAILS+=("s$s pg_dump+restore: pg_dump ${t_dump}s, pg_restore ${t_restore}s (no ANALYZE)")

    # (2) pgcopydb clone --------------------------------------------------------------------------
    t_copydb=n/a
    if [[ $HAVE_COPYDB == 1 ]]; then
        tgt=tgt$s lg=$WORK/logs/pgcopydb-$s.log
        rm -rf "$WORK/pgcopydb-$s"
        fresh_db "$tgt"
        quiesce
        log "s$s: pgcopydb clone --table-jobs $JOBS --index-jobs $JOBS  (caches dropped: $CACHES_DROPPED)"
        t0=$(now)
        if pgcopydb clone --source "$URI_BASE/$src" --target "$URI_BASE/$tgt" \
                --table-jobs "$JOBS" --index-jobs "$JOBS" --dir "$WORK/pgcopydb-$s" >"$lg" 2>&1; then
            t_copydb=$(elapsed "$t0" "$(now)")
            log "s$s: pgcopydb ${t_copydb}s"
        else
            show_failure "pgcopydb clone" "$lg"
        fi
        rm -rf "$WORK/pgcopydb-$s"
        drop_db "$tgt"
    fi

    # (3) pgrelocate migrate ------------------------------------------------------------------------
    t_pgr=n/a t_pgr_copy=n/a
    if [[ $SKIP_PGR != 1 ]]; then
        tgt=pgr$s lg=$WORK/logs/pgrelocate-$s.log report=$WORK/pgr-$s.json
        rm -rf "$WORK/pgr-$s" "$report"
        fresh_db "$tgt"
        quiesce
        log "s$s: pgrelocate migrate --jobs $JOBS  (caches dropped: $CACHES_DROPPED)"
        t0=$(now)
        rc=0
        java -jar "$JAR" migrate \
            --source "$URI_BASE/$src?sslmode=disable" --target "$URI_BASE/$tgt?sslmode=disable" \
            --jobs "$JOBS" --work-dir "$WORK/pgr-$s" --report "$report" >"$lg" 2>&1 || rc=$?
        t1=$(now)
        if [[ $rc == 0 ]]; then
            t_pgr=$(elapsed "$t0" "$t1")
            if [[ -f $report ]] && parsed=$(parse_report "$report" 2>>"$lg"); then
                read -r t_pgr_copy run_s result p_dump p_restore p_analyze <<<"$parsed"
                log "s$s: pgrelocate ${t_pgr}s wall (report: started->finished ${run_s}s, result $result;" \
                    "copy ${t_pgr_copy}s = dump ${p_dump}s + restore ${p_restore}s + analyze ${p_analyze}s)"
                DETAILS+=("s$s pgrelocate: wall ${t_pgr}s, report started->finished ${run_s}s, copy ${t_pgr_copy}s (dump ${p_dump}s, restore ${p_restore}s, analyze ${p_analyze}s); rest (JVM start, preflight, roles, verify) $(awk -v a="$t_pgr" -v b="$t_pgr_copy" 'BEGIN{printf "%.1f", a-b}')s")
            else
                echo "  pgrelocate: could not read the copy timings from $report"
            fi
        else
            echo "  pgrelocate exited with $rc"
            show_failure pgrelocate "$lg"
        fi
        rm -rf "$WORK/pgr-$s"
        drop_db "$tgt"
    fi

    ROWS+=("s$s|${SIZE_PRETTY[$s]}|$(secs "$t_pgdump")|$(secs "$t_copydb")|$(secs "$t_pgr")|$(secs "$t_pgr_copy")|$(ratio "$t_pgr" "$t_pgdump")|$(ratio "$t_pgr_copy" "$t_pgdump")|$(ratio "$t_pgr" "$t_copydb")")
done

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------
RESULTS=$BENCH_DIR/results.txt
{
    echo "# pgrelocate bench $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(nproc) cores, PostgreSQL $(postgres --version | awk '{print $3}'), loopback 127.0.0.1:$PORT, jobs=$JOBS, page cache dropped between runs: $CACHES_DROPPED"
    fmt='%-8s %-9s %-16s %-10s %-18s %-22s %-20s %-19s %s\n'
    # shellcheck disable=SC2059
    printf "$fmt" dataset size pg_dump+restore pgcopydb "pgrelocate(total)" "pgrelocate(copy only)" \
        "ratio total/pg_dump" "ratio copy/pg_dump" "ratio total/pgcopydb"
    for row in "${ROWS[@]}"; do
        IFS='|' read -r -a f <<<"$row"
        # shellcheck disable=SC2059
        printf "$fmt" "${f[@]}"
    done
    echo
    for d in "${DETAILS[@]}"; do echo "# $d"; done
} | tee "$RESULTS"
log "results saved to $RESULTS"
