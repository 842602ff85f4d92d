#!/usr/bin/env bash
# Benchmark: one MariaDB database into PostgreSQL by pgloader and by pgrelocate, in one run, and the
# cross-engine verify (pgrelocate verify --source mariadb://…) applied to both results. See bench/README.md.
#
# Environment:
#   BENCH_ROWS=1000000          rows in the main table (≈ 300 MB of MariaDB data in all; 100000 for a quick run)
#   BENCH_DIR=/tmp/pgrelocate-bench   where the work dir and mysql-results.txt live
#   BENCH_PGLOADER_SAFE=1       leave out the two values pgloader 3.6.9 cannot load at all (zero dates in a date
#                               column, bit(3)), so that its changes to the values it does load are counted
#   BENCH_RUNS=5                runs of each tool, alternating which goes first; the table gives medians
#   BENCH_KEEP=1                keep the work dir (server data, logs, JSON reports) at exit
#   PGRELOCATE_JAR=controller/target/quarkus-app/quarkus-run.jar
#   PGBIN=/usr/lib/postgresql/15/bin
set -euo pipefail

cd "$(dirname "$0")/.."
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BENCH_DIR=${BENCH_DIR:-/tmp/pgrelocate-bench}
ROWS=${BENCH_ROWS:-1000000}
JAR=${PGRELOCATE_JAR:-controller/target/quarkus-app/quarkus-run.jar}
JOBS=2
unset PGPASSWORD PGSERVICE PGDATABASE PGOPTIONS MYSQL_PWD 2>/dev/null || true

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit "${2:-1}"; }

for tool in mariadbd mariadb-install-db mariadb pgloader java python3; do
    command -v $tool >/dev/null || die "$tool is required (apt-get install -y mariadb-server pgloader)"
done
[[ -x $PGBIN/postgres ]] || die "PostgreSQL 15 server binaries not found in $PGBIN"
[[ -f $JAR ]] || { echo "pgrelocate jar not found: $JAR (build: mvn -q -DskipTests package)"; exit 2; }

mkdir -p "$BENCH_DIR"; chmod 755 "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/mysql.XXXXXX"); chmod 755 "$WORK"
MDIR=$WORK/maria PGDIR=$WORK/pg
mkdir -p "$MDIR/data" "$PGDIR" "$WORK/logs"
chown -R mysql: "$MDIR"; chown postgres: "$PGDIR"
SECRETS=$WORK/secrets; mkdir -m 700 "$SECRETS"

MARIA_PID=""; PG_STARTED=0
cleanup() {
    local rc=$?
    set +e
    [[ -n $MARIA_PID ]] && { kill "$MARIA_PID"; wait "$MARIA_PID" 2>/dev/null; }
    [[ $PG_STARTED == 1 ]] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$SECRETS"
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MPORT=$(free_port); PORT=$(free_port)
[[ $MPORT != 3306 && $PORT != 5432 ]] || die "refusing the default ports"

# The bench user's password: generated, kept in 0600 files (client option file, pgloader command file), never on a command line.
PW=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
printf '[client]\nuser=bench\npassword=%s\nhost=127.0.0.1\nport=%s\n' "$PW" "$MPORT" > "$SECRETS/my.cnf"; chmod 600 "$SECRETS/my.cnf"

log "MariaDB $(mariadbd --version | awk '{print $3}') on 127.0.0.1:$MPORT, PostgreSQL 15 on 127.0.0.1:$PORT"
runuser -u mysql -- mariadb-install-db --no-defaults --datadir="$MDIR/data" --skip-test-db \
    --auth-root-authentication-method=socket --auth-root-socket-user=root >"$WORK/logs/install.log" 2>&1 \
    || { tail -n 20 "$WORK/logs/install.log"; die "mariadb-install-db failed"; }
runuser -u mysql -- mariadbd --no-defaults --datadir="$MDIR/data" --socket="$MDIR/s.sock" --port="$MPORT" \
    --bind-address=127.0.0.1 --skip-name-resolve --log-error="$WORK/logs/mariadb.log" --innodb-buffer-pool-size=512M \
    --innodb-flush-log-at-trx-commit=2 --max-allowed-packet=256M --character-set-server=utf8mb4 >"$WORK/logs/mariadbd.out" 2>&1 &
MARIA_PID=$!
for _ in $(seq 1 120); do [[ -S $MDIR/s.sock ]] && break; sleep 0.5; done
[[ -S $MDIR/s.sock ]] || { tail -n 20 "$WORK/logs/mariadb.log"; die "mariadbd did not start"; }
rootsql() { mariadb --no-defaults --socket="$MDIR/s.sock" -u root "$@"; }
{ printf "CREATE USER 'bench'@'%%' IDENTIFIED BY '%s';\n" "$PW"; echo "GRANT ALL ON *.* TO 'bench'@'%';"; } | rootsql

runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust >"$WORK/logs/initdb.log" 2>&1 || die "initdb failed"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" \
    -l "$PGDIR/log" -w start >/dev/null || die "PostgreSQL did not start"
PG_STARTED=1
psqlc() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

ZERO_DATE="'0000-00-00'" KIND_TYPE="BIT(3)"
[[ ${BENCH_PGLOADER_SAFE:-0} == 1 ]] && { ZERO_DATE=NULL; KIND_TYPE="BIT(8)"; }
log "generating $ROWS orders (and blobs, tags) in MariaDB database benchdb"
rootsql <<SQL
CREATE DATABASE benchdb CHARACTER SET utf8mb4;
USE benchdb;
SET SESSION sql_mode = '';
CREATE TABLE orders (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(12,2) NOT NULL,
  status ENUM('new','paid','shipped','cancelled') NOT NULL, gift TINYINT(1) NOT NULL, created DATETIME(6) NOT NULL,
  updated TIMESTAMP(3) NULL, shipped DATE, note VARCHAR(200), big_u BIGINT UNSIGNED, ratio DOUBLE, payload JSON,
  KEY (customer_id), KEY (created)) ENGINE=InnoDB;
INSERT INTO orders (customer_id, amount, status, gift, created, updated, shipped, note, big_u, ratio, payload)
SELECT seq % 50000, (seq % 100000) / 100, ELT(1 + seq % 4, 'new','paid','shipped','cancelled'), seq % 2,
       TIMESTAMP('2020-01-01') + INTERVAL seq SECOND + INTERVAL (seq % 1000000) MICROSECOND,
       IF(seq % 7 = 0, NULL, TIMESTAMP('2021-06-01') + INTERVAL seq SECOND + INTERVAL (seq % 1000) * 1000 MICROSECOND),
       IF(seq % 97 = 0, ${ZERO_DATE}, DATE('2022-01-01') + INTERVAL (seq % 1000) DAY),
       CONCAT('order ', seq, IF(seq % 11 = 0, ' 😀 "quoted" \\\\ back\\\\slash', ''), IF(seq % 13 = 0, '\ttab\nline', ''), REPEAT('x', seq % 120)),
       18446744073709551615 - seq, seq / 7, JSON_OBJECT('n', seq, 'tags', JSON_ARRAY('a', seq % 5), 'price', (seq % 1000) / 8)
FROM seq_1_to_${ROWS};
CREATE TABLE blobs (id INT PRIMARY KEY, data MEDIUMBLOB, kind ${KIND_TYPE}, yr YEAR, dur TIME);
INSERT INTO blobs SELECT seq, UNHEX(REPEAT(CONCAT('00FF5C', LPAD(HEX(seq % 256), 2, '0')), 256)), seq % 8, 1901 + seq % 250,
       SEC_TO_TIME(seq % 86400) FROM seq_1_to_$(( ROWS / 20 ));
CREATE TABLE tags (order_id BIGINT UNSIGNED NOT NULL, tag VARCHAR(20) NOT NULL, PRIMARY KEY (order_id, tag),
  FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE);
INSERT INTO tags SELECT seq, CONCAT('t', seq % 10) FROM seq_1_to_$(( ROWS / 2 ));
ANALYZE TABLE orders, blobs, tags;
SQL
SIZE=$(rootsql -N -e "SELECT ROUND(SUM(data_length + index_length) / 1048576) FROM information_schema.TABLES WHERE table_schema = 'benchdb'")
log "source: ${SIZE} MB (data + indexes)"
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.1f}')"; }
SRC="mariadb://bench@127.0.0.1:$MPORT/benchdb"
export PGRELOCATE_SOURCE_PASSWORD=$PW

run_pgloader() {  # $1: run number
    psqlc -d postgres -c "CREATE DATABASE by_pgloader_$1"
    # pgloader reads both URIs from a 0600 command file (its password would otherwise sit on the command line).
    printf 'LOAD DATABASE FROM mysql://bench:%s@127.0.0.1:%s/benchdb\n  INTO postgresql://postgres@127.0.0.1:%s/by_pgloader_%s\n  WITH workers = %s, concurrency = 1;\n' \
        "$PW" "$MPORT" "$PORT" "$1" "$((JOBS * 2))" > "$SECRETS/load.pgl"
    log "run $1: pgloader"
    local t0; t0=$(now)
    pgloader --no-ssl-cert-verification "$SECRETS/load.pgl" >"$WORK/logs/pgloader-$1.log" 2>&1 || { tail -n 15 "$WORK/logs/pgloader-$1.log"; echo "pgloader failed"; }
    echo "$(elapsed "$t0" "$(now)")" > "$WORK/t-pgloader-$1"
    rm -f "$SECRETS/load.pgl"
}

run_pgrelocate() {  # $1: run number
    psqlc -d postgres -c "CREATE DATABASE by_pgrelocate_$1"
    log "run $1: pgrelocate migrate (preflight, copy, indexes, verify across engines)"
    local t0; t0=$(now); echo "$t0" > "$WORK/start-pgrelocate-$1"
    java -jar "$JAR" migrate --source "$SRC" --target "postgresql://postgres@127.0.0.1:$PORT/by_pgrelocate_$1?sslmode=disable" \
        --target-schema benchdb --jobs "$JOBS" --json >"$WORK/pgrelocate-$1.json" 2>"$WORK/logs/pgrelocate-$1.log" || echo "pgrelocate exit $?"
    echo "$(elapsed "$t0" "$(now)")" > "$WORK/t-pgrelocate-$1"
}

# Several runs, alternating which tool goes first, so that neither always meets a warm or a busy machine.
RUNS=${BENCH_RUNS:-5}
for i in $(seq 1 "$RUNS"); do
    if (( i % 2 )); then run_pgloader "$i"; run_pgrelocate "$i"; else run_pgrelocate "$i"; run_pgloader "$i"; fi
done

# pgloader puts the tables into a schema named after the MySQL database, as the runs above do.
for db in by_pgloader_$RUNS by_pgrelocate_$RUNS; do
    log "verify across engines: $db"
    java -jar "$JAR" verify --source "$SRC" --target "postgresql://postgres@127.0.0.1:$PORT/$db?sslmode=disable" \
        --target-schema benchdb --jobs "$JOBS" --json >"$WORK/verify-${db%_*}.json" 2>"$WORK/logs/verify-$db.log" || true
done

python3 - "$WORK" "$SIZE" "$ROWS" "$RUNS" <<'PY' | tee "$BENCH_DIR/mysql-results.txt"
import json, re, statistics, sys
from datetime import datetime
work, size, rows, runs = sys.argv[1:]
runs = int(runs)
def seconds(name, i):
    return float(open(f"{work}/t-{name}-{i}").read())
def copy_only(i):
    # pgrelocate without its built-in verify: from its start (JVM, preflight and its value scan included) to "verifying".
    t0 = float(open(f"{work}/start-pgrelocate-{i}").read())
    verifying = next((l.split(" ", 1)[0] for l in open(f"{work}/logs/pgrelocate-{i}.log") if re.match(r"\d\d:\d\d:\d\d verifying", l)), None)
    if not verifying:
        return None
    day = datetime.fromtimestamp(t0)
    at = datetime.combine(day.date(), datetime.strptime(verifying, "%H:%M:%S").time())
    return round(at.timestamp() - t0 + (86400 if at.timestamp() < t0 - 60 else 0), 1)  # a run across midnight
pgl = [seconds("pgloader", i) for i in range(1, runs + 1)]
pgr = [seconds("pgrelocate", i) for i in range(1, runs + 1)]
cop = [c for c in (copy_only(i) for i in range(1, runs + 1)) if c is not None]
med = statistics.median
def verify(db):
    try:
        r = json.load(open(f"{work}/verify-{db}.json"))
    except Exception as e:
        return "verify failed", "", ""
    if r.get("verify") is None:
        return "verify failed: " + str(r.get("error")), "", ""
    tables = [d for d in r["verify"]["differences"] if d["kind"] == "table"]
    values, rows_d, cols = 0, 0, []
    for d in tables:
        m = re.search(r"(\d+) rows and (\d+) values differ (\{.*\})", d["target"])
        if m:
            rows_d += int(m.group(1)); values += int(m.group(2)); cols.append(d["object"] + " " + m.group(3))
        else:
            cols.append(d["object"] + ": " + d["target"])
    return f"{len(tables)} of {r['verify']['tablesCompared']} tables", f"{rows_d} rows, {values} values", "; ".join(cols)
print(f"source: MariaDB, {size} MB, {rows} orders; 2 workers each; medians of {runs} alternating runs; one 2-core machine shared with other builds")
print("runs (s): pgloader " + ", ".join(map(str, pgl)) + "; pgrelocate whole run " + ", ".join(map(str, pgr))
      + "; pgrelocate from its start to its verify " + ", ".join(map(str, cop)))
print("| tool | time (s, median) | of which copy (s) | tables differing | rows / values changed | where |")
print("|---|---|---|---|---|---|")
for tool, t, c_only, db in (("pgloader 3.6.9", med(pgl), med(pgl), "by_pgloader"),
                            ("pgrelocate migrate (incl. its verify)", med(pgr), med(cop) if cop else "n/a", "by_pgrelocate")):
    a, b, c = verify(db)
    print(f"| {tool} | {t:.1f} | {c_only} | {a} | {b} | {c} |")
PY
