#!/usr/bin/env bash
# Benchmark: the write window (fence → target live) and what fills it, per strategy and size, with
# pgbench writing to the source the whole time. One throw-away PostgreSQL 15 (wal_level=logical)
# on loopback; each run migrates a fresh pgbench database with `pgrelocate migrate --switchover`
# and reads the figures pgrelocate itself measured from its JSON report. See bench/README.md.
#
# Environment:
#   BENCH_SCALES="20 60"                 pgbench scale factors (20 ≈ 300 MB, 70 ≈ 1 GB); "t2000": pgbench at
#                                        scale 1 plus 2,000 small tables (one serial key and 10 rows each)
#   BENCH_STRATEGIES="dump stream logical"
#   BENCH_REPEAT=1                       runs per cell; the table shows the median
#   BENCH_RATE=100                       pgbench transactions per second during the migration
#   BENCH_ROLLBACK_LOAD=10               logical: seconds of pgbench on the target before the rollback runs under it
#   BENCH_DIR=/tmp/pgrelocate-bench      where the work dir and switchover.txt live
#   PGRELOCATE_JAR=controller/target/quarkus-app/quarkus-run.jar
#   PGBIN=/usr/lib/postgresql/15/bin
set -euo pipefail

cd "$(dirname "$0")/.."
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BENCH_DIR=${BENCH_DIR:-/tmp/pgrelocate-bench}
BENCH_SCALES=${BENCH_SCALES-20 60}
BENCH_STRATEGIES=${BENCH_STRATEGIES:-dump stream logical}
BENCH_REPEAT=${BENCH_REPEAT:-1}
BENCH_RATE=${BENCH_RATE:-100}
JAR=${PGRELOCATE_JAR:-controller/target/quarkus-app/quarkus-run.jar}
export PATH="$PGBIN:$PATH" PGRELOCATE_PG_BIN="$PGBIN"
unset PGPASSWORD PGSERVICE PGDATABASE PGOPTIONS 2>/dev/null || true

log() { printf '[switchover %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit "${2:-1}"; }
[[ -x $PGBIN/postgres ]] || die "PostgreSQL 15 server binaries not found in $PGBIN"
[[ -f $JAR ]] || die "pgrelocate jar not found: $JAR (build first: mvn -q -DskipTests package)" 2
id postgres >/dev/null 2>&1 || die "OS user 'postgres' is missing (initdb/postgres refuse to run as root)"

mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/switchover.XXXXXX")
chmod 755 "$WORK"
PGDIR=$WORK/pg
mkdir -p "$PGDIR" "$WORK/logs"
chown postgres: "$PGDIR"
STARTED=0
LOAD=
cleanup() {
    local rc=$?
    set +e
    [[ -n $LOAD ]] && kill "$LOAD" 2>/dev/null
    [[ $STARTED == 1 ]] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
[[ $PORT != 5432 ]] || die "refusing port 5432"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust >"$WORK/logs/initdb.log" 2>&1 || die "initdb failed"
log "PostgreSQL 15 on 127.0.0.1:$PORT (wal_level=logical)"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w start \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c wal_level=logical -c max_wal_size=4GB -c max_connections=200" >/dev/null \
    || die "server did not start"
STARTED=1
export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGSSLMODE=disable
URI="postgresql://postgres@127.0.0.1:$PORT"
fresh_db() { dropdb --if-exists --force "$1" >/dev/null 2>&1 || true; createdb "$1"; }

# Many small tables: the window must not grow with the number of objects either.
many_tables() {  # DB COUNT
    python3 - "$2" <<'PY' | psql -q -v ON_ERROR_STOP=1 "$1" >/dev/null
import sys
for i in range(int(sys.argv[1])):
    print(f"CREATE TABLE small_{i} (id serial PRIMARY KEY, v text); INSERT INTO small_{i} (v) SELECT md5(g::text) FROM generate_series(1, 10) g;")
PY
}

# One migration under load; prints "window fence final_sync verify cutover total steps rollback" in seconds
# (steps: the final sync's own phases inside the window, name=seconds; rollback: logical only, else "-"), or "failed".
migrate_once() {  # SCALE STRATEGY RUN
    local scale=$1 strategy=$2 run=$3 src=bench_src dst=bench_dst
    fresh_db $src; fresh_db $dst
    if [[ $scale == t* ]]; then
        pgbench -i -q -s 1 $src >"$WORK/logs/init-$scale.log" 2>&1
        many_tables $src "${scale#t}"
    else
        pgbench -i -q -s "$scale" $src >"$WORK/logs/init-$scale.log" 2>&1
    fi
    pgbench -n -c 2 -j 1 -R "$BENCH_RATE" -T 3600 $src >"$WORK/logs/load-$scale-$strategy-$run.log" 2>&1 &
    LOAD=$!
    sleep 2
    local report=$WORK/report-$scale-$strategy-$run.json
    local extra=()
    # pgbench_history has no key: it is insert-only, so REPLICA IDENTITY FULL costs nothing here
    [[ $strategy == logical ]] && extra=(--migration "bench_${scale}_${run}" --max-lag 4MB --replica-identity-full)
    if java -jar "$JAR" migrate --source "$URI/$src?sslmode=disable" --target "$URI/$dst?sslmode=disable" --switchover \
            --strategy "$strategy" --jobs 2 --report "$report" "${extra[@]}" >"$WORK/logs/migrate-$scale-$strategy-$run.log" 2>&1; then
        python3 - "$report" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
def secs(d):  # ISO-8601 duration as Jackson writes it: PT1.234S, PT1M2.5S
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", d or "PT0S")
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)
w = r["window"]
phase = {p["name"]: secs(p["took"]) for p in w["writePhases"]}
from datetime import datetime
total = (datetime.fromisoformat(r["finished"].replace("Z", "+00:00")) - datetime.fromisoformat(r["started"].replace("Z", "+00:00"))).total_seconds()
# the copy's phases (name → duration); logical's first one ran before the window
steps = ",".join(f'{name.replace(" ", "-")}={secs(took):.2f}' for name, took in ((r.get("copy") or {}).get("phases") or {}).items()
                 if name != "bulk copy and catch-up")
print(f'{secs(w["writeWindow"]):.2f} {phase.get("fence", 0):.2f} {phase.get("final sync", 0):.2f} {phase.get("verify", 0):.2f} '
      f'{phase.get("cutover", 0):.2f} {total:.1f} {steps or "-"}', end=" ")
PY
        kill "$LOAD" 2>/dev/null; wait "$LOAD" 2>/dev/null || true; LOAD=
        if [[ $strategy == logical ]]; then rollback_once "$scale" "$run"; else echo -; fi
    else
        echo failed
        tail -n 5 "$WORK/logs/migrate-$scale-$strategy-$run.log" | sed 's/^/    /' >&2
    fi
    [[ -z $LOAD ]] || { kill "$LOAD" 2>/dev/null; wait "$LOAD" 2>/dev/null || true; LOAD=; }
}

# After a logical switch, the way back under load: pgbench on the target for BENCH_ROLLBACK_LOAD seconds, then
# `pgrelocate rollback --source --target` while it runs; prints the rollback's write window in seconds as pgrelocate
# measured it, "lost" when pgbench_history differs between the two afterwards, or "failed".
rollback_once() {  # SCALE RUN
    local scale=$1 run=$2 src=bench_src dst=bench_dst log=$WORK/logs/rollback-$1-$2.log
    pgbench -n -c 2 -j 1 -R "$BENCH_RATE" -T 3600 $dst >"$WORK/logs/rollback-load-$scale-$run.log" 2>&1 &
    local load=$!
    sleep "${BENCH_ROLLBACK_LOAD:-10}"
    local ok=1
    java -jar "$JAR" rollback --source "$URI/$src?sslmode=disable" --target "$URI/$dst?sslmode=disable" \
        --migration "bench_${scale}_${run}" >"$log" 2>&1 || ok=0
    kill "$load" 2>/dev/null; wait "$load" 2>/dev/null || true
    local history="SELECT count(*) || '/' || coalesce(sum(delta), 0) FROM pgbench_history"
    if [[ $ok == 0 ]]; then
        echo failed
        tail -n 5 "$log" | sed 's/^/    /' >&2
    elif [[ $(psql -Atqc "$history" $src) != "$(psql -Atqc "$history" $dst)" ]]; then
        echo lost
    else
        sed -n 's/^rollback window: write window \([0-9.]*\)s.*/\1/p' "$log"
    fi
}

median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(f"{statistics.median(v):.2f}" if v else "n/a")' "$@"; }
# "drain=0.12,carry-over=0.03" per run → the median of each step
median_steps() { python3 -c '
import statistics, sys
runs = [dict(kv.split("=") for kv in a.split(",")) for a in sys.argv[1:] if a != "-"]
print(",".join(f"{k}={statistics.median(float(r[k]) for r in runs if k in r):.2f}" for k in (runs[0] if runs else {})) or "-")' "$@"; }

RESULT=$BENCH_DIR/switchover.txt
{
    printf '%-6s %-9s %7s %6s %10s %7s %7s %9s %9s  %s   (seconds; median of %s run(s), pgbench at %s tps on the source, then on the target for the rollback)\n' \
        scale strategy window fence "final sync" verify cutover "whole run" rollback "final sync's steps" "$BENCH_REPEAT" "$BENCH_RATE"
} | tee "$RESULT"
for scale in $BENCH_SCALES; do
    for strategy in $BENCH_STRATEGIES; do
        ws=() es=() fs=() vs=() cs=() ts=() ss=() rs=() lost=
        for run in $(seq 1 "$BENCH_REPEAT"); do
            log "scale $scale, $strategy, run $run"
            read -r w e f v c t steps rb <<<"$(migrate_once "$scale" "$strategy" "$run")"
            [[ $w == failed ]] && continue
            log "  window $w s (fence $e, final sync $f [$steps], verify $v, cutover $c), whole run $t s, rollback window ${rb:--} s"
            ws+=("$w"); es+=("$e"); fs+=("$f"); vs+=("$v"); cs+=("$c"); ts+=("$t"); ss+=("$steps")
            case $rb in -|failed|"") ;; lost) lost=" (WRITES LOST)" ;; *) rs+=("$rb") ;; esac
        done
        printf '%-6s %-9s %7s %6s %10s %7s %7s %9s %9s  %s%s\n' "$scale" "$strategy" "$(median "${ws[@]}")" "$(median "${es[@]}")" \
            "$(median "${fs[@]}")" "$(median "${vs[@]}")" "$(median "${cs[@]}")" "$(median "${ts[@]}")" "$(median "${rs[@]}")" \
            "$(median_steps "${ss[@]}")" "$lost" | tee -a "$RESULT"
    done
done
log "written to $RESULT"
