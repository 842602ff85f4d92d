package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.TableInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Rows and bytes per table and in total while the stream copy runs, with throughput and an ETA.
 * A table's share of the work is its size on disk; within a table, rows against the planner's estimate.
 */
final class StreamProgress {
    /** Live counters of one table; workers add to them row by row without locking. */
    static final class Table {
        final TableInfo info;
        final LongAdder rows = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final AtomicInteger piecesLeft;
        final int pieces;
        final String format;
        final boolean freeze;
        volatile Instant started;
        volatile Instant finished;

        Table(TableInfo info, int pieces, String format, boolean freeze) {
            this.info = info;
            this.pieces = pieces;
            this.piecesLeft = new AtomicInteger(pieces);
            this.format = format;
            this.freeze = freeze;
        }

        double fraction() {
            if (finished != null) {
                return 1.0;
            }
            return info.estimatedRows() > 0 ? Math.min(0.99, rows.doubleValue() / info.estimatedRows()) : 0.0;
        }
    }

    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Clock clock;
    private final Instant start;
    private final long totalDiskBytes;
    private IntSupplier indexesPending = () -> 0;

    StreamProgress(List<CopyUnit> units, boolean freeze, Clock clock) {
        this.clock = clock;
        this.start = clock.instant();
        Map<String, Integer> pieces = new LinkedHashMap<>();
        units.forEach(u -> pieces.put(u.table().qualifiedName(), u.pieces()));
        long total = 0;
        for (CopyUnit u : units) {
            if (!tables.containsKey(u.table().qualifiedName())) {
                tables.put(u.table().qualifiedName(), new Table(u.table(), u.pieces(), u.format(),
                        freeze && u.whole() && u.table().bytes() >= TableLoader.FREEZE_MIN_BYTES));
                total += u.table().bytes();
            }
        }
        this.totalDiskBytes = total;
    }

    Table table(CopyUnit unit) {
        return tables.get(unit.table().qualifiedName());
    }

    void indexesPending(IntSupplier pending) {
        this.indexesPending = pending;
    }

    long rows() {
        return tables.values().stream().mapToLong(t -> t.rows.sum()).sum();
    }

    long bytes() {
        return tables.values().stream().mapToLong(t -> t.bytes.sum()).sum();
    }

    /** e.g. "stream: 41% · 3/12 tables · 1.2 GiB, 4210000 rows · 96.0 MiB/s · elapsed 12s · ETA 17s · 2 index builds running or queued". */
    String line() {
        Duration elapsed = Duration.between(start, clock.instant());
        double f = totalDiskBytes == 0 ? 0
                : tables.values().stream().mapToDouble(t -> t.fraction() * t.info.bytes()).sum() / totalDiskBytes;
        long done = tables.values().stream().filter(t -> t.finished != null).count();
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        String eta = f > 0.01 && f < 1.0 ? " · ETA " + Durations.human(Duration.ofMillis((long) (elapsed.toMillis() * (1 - f) / f))) : "";
        int pending = indexesPending.getAsInt();
        return String.format(Locale.ROOT, "stream: %d%% · %d/%d tables · %s, %d rows · %s/s · elapsed %s%s%s",
                (int) Math.floor(f * 100), done, tables.size(), Durations.bytes(bytes()), rows(),
                Durations.bytes((long) (bytes() / seconds)), Durations.human(elapsed), eta,
                pending == 0 ? "" : " · " + pending + " index build(s) running or queued");
    }

    /** Per table, biggest first. */
    List<TableCopy> results() {
        List<TableCopy> out = new ArrayList<>();
        tables.values().stream().sorted(Comparator.comparingLong((Table t) -> t.bytes.sum()).reversed()).forEach(t ->
                out.add(new TableCopy(t.info.qualifiedName(), t.rows.sum(), t.bytes.sum(), t.pieces, t.format, t.freeze,
                        t.started == null || t.finished == null ? Duration.ZERO : Duration.between(t.started, t.finished))));
        return out;
    }
}
