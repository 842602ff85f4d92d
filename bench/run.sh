#!/usr/bin/env bash
# Benchmark: pgrelocate migrate (dump and stream strategies) vs pg_dump -Fd -j2 + pg_restore -j2 vs
# pgcopydb clone, on pgbench and Mastodon-shaped databases served by one throw-away PostgreSQL 15 on
# loopback. See bench/README.md.
#
# Environment:
#   BENCH_SCALES="20 60"       pgbench scale factors, one source database each (BENCH_SCALES=2 for a quick run)
#   BENCH_MASTODON_SCALES="2"  bench/mastodon.sql scale factors (1 = about 240 MB); empty: none
#   BENCH_MANY_TABLES=         also a database of this many small tables (20 rows and a primary key each); empty: none
#   BENCH_ROUNDS=5             rounds; each round runs every tool once per dataset, alternating (A B C A B C …)
#   BENCH_STRATEGIES="dump stream"   pgrelocate strategies to time; "stream:SPLIT_MB=100000" sets a PGRELOCATE_STREAM_ knob
#   BENCH_DIR=/tmp/pgrelocate-bench   where the work dir and results.txt live
#   BENCH_PORT=                loopback port for the bench server (default: a free one, never 5432)
#   BENCH_SKIP_PGRELOCATE=1    do not run pgrelocate (its columns show n/a)
#   BENCH_SKIP_PGCOPYDB=1      do not run (or install) pgcopydb
#   BENCH_KEEP=1               keep the work dir (server data, logs) at exit
#   PGRELOCATE_JAR=controller/target/quarkus-app/quarkus-run.jar
#   BENCH_COMMIT=              what results.txt names as the code measured (default: git HEAD of this checkout)
#   PGBIN=/usr/lib/postgresql/15/bin
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BENCH_DIR=${BENCH_DIR:-/tmp/pgrelocate-bench}
BENCH_SCALES=${BENCH_SCALES-20 60}
BENCH_MASTODON_SCALES=${BENCH_MASTODON_SCALES-2}
BENCH_MANY_TABLES=${BENCH_MANY_TABLES:-}
BENCH_ROUNDS=${BENCH_ROUNDS:-5}
BENCH_STRATEGIES=${BENCH_STRATEGIES:-dump stream}
JAR=${PGRELOCATE_JAR:-controller/target/quarkus-app/quarkus-run.jar}
SKIP_PGR=${BENCH_SKIP_PGRELOCATE:-0}
COMMIT=${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')}
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
POSTMASTER=$(head -n 1 "$PGDIR/data/postmaster.pid")

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGSSLMODE=disable
URI_BASE="postgresql://postgres@127.0.0.1:$PORT"

export PGDATABASE=postgres
psqlc() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

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
if not phases:  # reports before named phases (to bench an older build): dump, restore, analyze
    phases = [dur(c[k]) for k in ("dump", "restore", "analyze") if c.get(k)]
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
if [[ -n $BENCH_MANY_TABLES ]]; then
    DATASETS+=("t$BENCH_MANY_TABLES")
    SOURCE[t$BENCH_MANY_TABLES]=many$BENCH_MANY_TABLES CREATE_OPTS[t$BENCH_MANY_TABLES]=""
fi
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
    elif [[ $d == t* ]]; then
        log "creating $src: ${d#t} tables of 20 rows, each with an identity primary key"
        psqlc -d "$src" -v n="${d#t}" >"$WORK/logs/create-$d.log" 2>&1 <<'EOF' || { show_failure "many tables" "$WORK/logs/create-$d.log"; die "creating the tables failed"; }
SELECT format('CREATE TABLE t%s (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text, n int, at timestamptz DEFAULT now());'
              ' INSERT INTO t%s (name, n) SELECT md5(g::text), g FROM generate_series(1, 20) g;', i, i)
  FROM generate_series(1, :n) i
\gexec
EOF
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
# Runs: BENCH_ROUNDS rounds; in each, every dataset is copied by every tool in turn (A B C A B C …),
# so a burst of load from the other tenants of the machine hits all tools alike. Each run is wrapped
# by bench/measure.py: wall time, CPU of the whole machine, CPU of the bench server and the tool,
# peak memory of the tool, load average. One raw line per run goes to runs.tsv.
# ---------------------------------------------------------------------------------------------
TOOLS=(pg_dump+restore)
[[ $HAVE_COPYDB != 1 ]] || TOOLS+=(pgcopydb)
if [[ $SKIP_PGR != 1 ]]; then
    for strategy in $BENCH_STRATEGIES; do TOOLS+=("pgrelocate-$strategy"); done
fi
RAW=$WORK/runs.tsv
: >"$RAW"
declare -A DETAIL SPLIT

run_tool() {  # run_tool ROUND DATASET TOOL: one measured copy into a fresh target, one line in $RAW
    local round=$1 d=$2 tool=$3 src=${SOURCE[$2]} tgt=bench_target lg=$WORK/logs/$3-$2-r$1.log
    local report=$WORK/pgr-$2.json copy=n/a verify=n/a mark=() cmd
    fresh_target "$d" "$tgt"
    rm -rf "$WORK/out" "$report"
    case $tool in
        pg_dump+restore)
            cmd=(bash -c 'pg_dump -Fd -j"$1" -f "$2" "$3" && pg_restore -j"$1" --no-owner --no-acl -d "$4" "$2"'
                 _ "$JOBS" "$WORK/out" "$src" "$tgt") ;;
        pgcopydb)
            cmd=(pgcopydb clone --source "$URI_BASE/$src" --target "$URI_BASE/$tgt"
                 --table-jobs "$JOBS" --index-jobs "$JOBS" --dir "$WORK/out") ;;
        pgrelocate-*)
            # "stream:SPLIT_MB=100000" runs the stream strategy with PGRELOCATE_STREAM_SPLIT_MB=100000
            local spec=${tool#pgrelocate-} knobs=()
            [[ $spec != *:* ]] || knobs=("PGRELOCATE_STREAM_${spec#*:}")
            mark=(--mark '^[0-9:]+ verify: ')
            cmd=(env "${knobs[@]}" java -jar "$JAR" migrate --source "$URI_BASE/$src?sslmode=disable" --target "$URI_BASE/$tgt?sslmode=disable"
                 --strategy "${spec%%:*}" --jobs "$JOBS" --work-dir "$WORK/out" --report "$report") ;;
    esac
    quiesce
    local m rc wall mcpu own rss l0 l1 mwall mmcpu mown tcpu bydb mtcpu mbydb
    m=$(python3 "$REPO/bench/measure.py" "$POSTMASTER" "$lg" "${mark[@]}" -- "${cmd[@]}")
    read -r rc wall mcpu own rss l0 l1 mwall mmcpu mown tcpu bydb mtcpu mbydb <<<"$m"
    if [[ $rc != 0 ]]; then
        show_failure "$tool" "$lg"
    elif [[ $tool == pgrelocate-* ]]; then
        local parsed t_copy run_s result p_dump p_restore p_analyze
        if [[ -f $report ]] && parsed=$(parse_report "$report" 2>>"$lg"); then
            read -r t_copy run_s result p_dump p_restore p_analyze <<<"$parsed"
            copy=$t_copy
            verify=$(awk -v a="$run_s" -v b="$t_copy" 'BEGIN{printf "%.1f", a-b}')
            DETAIL[$d,$tool]="wall ${wall}s = JVM start $(awk -v a="$wall" -v b="$run_s" 'BEGIN{printf "%.1f", a-b}')s + report ${run_s}s; copy ${t_copy}s (phases ${p_dump}s, ${p_restore}s, ${p_analyze}s: dump, restore, analyze; stream: schema dump, pre-data, data+indexes+post-data); preflight+verify ${verify}s"
            [[ ${tool#pgrelocate-} != stream* ]] || DETAIL[$d,$tool]+="; $(stream_details "$report")"
        else
            echo "  $tool: could not read the copy timings from $report"
            rc=report
        fi
    else
        copy=$wall
    fi
    log "round $round $d $tool: rc $rc, wall ${wall}s, copy ${copy}s, machine CPU ${mcpu}s (copy ${mmcpu}s), own CPU ${own}s (copy ${mown}s; the tool ${tcpu}s, backends per database $bydb), peak ${rss} MiB, load $l0→$l1"
    SPLIT[$d,$tool]="CPU until the copy ended: the tool ${mtcpu}s, backends $(sed "s/\b$src=/source=/; s/\b$tgt=/target=/" <<<"$mbydb"); whole run: the tool ${tcpu}s, backends $(sed "s/\b$src=/source=/; s/\b$tgt=/target=/" <<<"$bydb")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$d" "${SIZE_PRETTY[$d]// /}" "$tool" "$rc" \
        "$wall" "$copy" "$verify" "$mcpu" "$own" "$rss" "$l0" "$l1" "$mmcpu" "$mown" "$tcpu" "$bydb" >>"$RAW"
    rm -rf "$WORK/out"
    drop_db "$tgt"
}

for round in $(seq 1 "$BENCH_ROUNDS"); do
    for d in "${DATASETS[@]}"; do
        for tool in "${TOOLS[@]}"; do
            run_tool "$round" "$d" "$tool"
        done
    done
done

# ---------------------------------------------------------------------------------------------
# Results: medians over the rounds, their spread, speed-ups against the peers of the same run
# ---------------------------------------------------------------------------------------------
RESULTS=$BENCH_DIR/results.txt
cp "$RAW" "$BENCH_DIR/runs.tsv"
{
    echo "# pgrelocate bench $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit $COMMIT"
    echo "# host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average now $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $(postgres --version | awk '{print $3}'), loopback, jobs=$JOBS, $BENCH_ROUNDS rounds alternating the tools, page cache dropped between runs: $CACHES_DROPPED"
    python3 "$REPO/bench/summarize.py" "$RAW"
    echo
    echo "# copy: pgrelocate's copy phases from its report, the others' wall time. total: wall time of the whole run (pgrelocate: JVM start, preflight, copy, verify)."
    echo "# cpu(copy): CPU seconds until the copy ended (pgrelocate: until its verify started). machine: every process on the host (/proc/stat),"
    echo "# the other tenants' too; own: the bench server's processes + the tool and its children. ×pgdump/×copydb: speed-up of the median copy"
    echo "# (higher is faster); ×pgdump total: pg_dump+restore's copy / this tool's whole run; cpu/pgd, own/pgd: CPU against pg_dump+restore (lower is better)."
    for d in "${DATASETS[@]}"; do
        for tool in "${TOOLS[@]}"; do
            [[ -z ${DETAIL[$d,$tool]:-} ]] || echo "# $d $tool (last round): ${DETAIL[$d,$tool]}"
            [[ -z ${SPLIT[$d,$tool]:-} ]] || echo "# $d $tool (last round): ${SPLIT[$d,$tool]}"
        done
    done
    echo "# raw runs: $BENCH_DIR/runs.tsv"
} | tee "$RESULTS"
log "results saved to $RESULTS"
