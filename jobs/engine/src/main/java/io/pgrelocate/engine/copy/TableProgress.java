package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.TableInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns pg_dump/pg_restore --verbose output into percent done and an ETA, weighting each table by
 * its size: a table starts at "dumping contents of table" / "processing data for table" and ends at
 * "finished item ... TABLE DATA" (parallel mode) or when the next table starts (serial mode).
 */
public final class TableProgress {
    private static final Pattern STARTED = Pattern.compile(
            "(?:dumping contents of table|processing data for table) \"(.+)\"");
    private static final Pattern FINISHED = Pattern.compile("finished item \\d+ TABLE DATA (.+)$");

    private final String phase;
    private final Map<String, Long> bytesByTable = new LinkedHashMap<>();
    private final Map<String, Long> rowsByTable = new HashMap<>();
    private Map<String, Long> rowsInFlight = Map.of();
    private final Map<String, String> qualifiedByName = new HashMap<>();
    private final Set<String> started = new HashSet<>();
    private final Set<String> finished = new HashSet<>();
    private final long totalBytes;
    private final boolean serial;
    private final Clock clock;
    private final Instant start;
    private String lastStarted;

    public TableProgress(String phase, List<TableInfo> tables, boolean serial, Clock clock) {
        this.phase = phase;
        this.serial = serial;
        this.clock = clock;
        this.start = clock.instant();
        long total = 0;
        for (TableInfo t : tables) {
            if (!t.materializedView()) {  // matview data is a REFRESH, not copied bytes
                bytesByTable.put(t.qualifiedName(), t.bytes());
                rowsByTable.put(t.qualifiedName(), t.estimatedRows());
                qualifiedByName.putIfAbsent(t.name(), t.qualifiedName());
                total += t.bytes();
            }
        }
        this.totalBytes = total;
    }

    /** Feeds one verbose output line. */
    public synchronized void accept(String line) {
        Matcher s = STARTED.matcher(line);
        if (s.find()) {
            String table = s.group(1);
            if (serial && lastStarted != null) {
                finished.add(lastStarted);
            }
            started.add(table);
            lastStarted = table;
            return;
        }
        Matcher f = FINISHED.matcher(line);
        if (f.find()) {
            String name = f.group(1).trim();
            String qualified = started.stream().filter(q -> q.endsWith("." + name) && !finished.contains(q))
                    .findFirst().orElse(qualifiedByName.get(name));
            if (qualified != null) {
                finished.add(qualified);
            }
        }
    }

    /** Rows moved so far by each running COPY (from the server, {@link ServerCopyProgress}). */
    public synchronized void inFlight(Map<String, Long> rowsCopied) {
        rowsInFlight = Map.copyOf(rowsCopied);
    }

    /**
     * Table bytes done: finished tables whole, running ones by their share of rows copied (capped
     * below 100% until the tool says the table is done). Bytes are the tables' size on the source's
     * disk (pg_table_size), the figure preflight and the dump-space check use too.
     */
    public synchronized long doneBytes() {
        long whole = finished.stream().mapToLong(t -> bytesByTable.getOrDefault(t, 0L)).sum();
        long partial = rowsInFlight.entrySet().stream().filter(e -> !finished.contains(e.getKey()))
                .mapToLong(e -> (long) (bytesByTable.getOrDefault(e.getKey(), 0L) * shareCopied(e.getKey(), e.getValue()))).sum();
        return whole + partial;
    }

    private double shareCopied(String table, long rows) {
        long estimated = rowsByTable.getOrDefault(table, 0L);
        return estimated <= 0 ? 0 : Math.min(0.99, (double) rows / estimated);
    }

    /** " · public.big 41% (412000 rows)" for each table being copied right now. */
    private synchronized String running() {
        StringBuilder sb = new StringBuilder();
        rowsInFlight.forEach((table, rows) -> {
            if (!finished.contains(table) && bytesByTable.containsKey(table)) {
                long estimated = rowsByTable.getOrDefault(table, 0L);
                sb.append(" · ").append(table).append(estimated > 0 ? " " + (int) (shareCopied(table, rows) * 100) + "%" : "")
                        .append(" (").append(rows).append(rows == 1 ? " row)" : " rows)");
            }
        });
        return sb.toString();
    }

    public synchronized int tablesDone() {
        return (int) finished.stream().filter(bytesByTable::containsKey).count();
    }

    public double fraction() {
        if (totalBytes == 0) {
            return tablesDone() >= bytesByTable.size() ? 1.0 : 0.0;
        }
        return Math.min(1.0, (double) doneBytes() / totalBytes);
    }

    /** e.g. "dump: 37% · 12/30 tables · 1.1 GiB of 2.9 GiB · elapsed 1m04s · ETA 1m49s". */
    public synchronized String line() {
        Duration elapsed = Duration.between(start, clock.instant());
        double f = fraction();
        String eta = f > 0.01 && f < 1.0
                ? " · ETA " + Durations.human(Duration.ofMillis((long) (elapsed.toMillis() * (1 - f) / f)))
                : "";
        String stage = f >= 1.0 && tablesDone() >= bytesByTable.size() ? " · data done, finishing (indexes, constraints, large objects)" : "";
        return String.format(Locale.ROOT, "%s: %d%% · %d/%d tables · %s of %s · elapsed %s%s%s%s", phase,
                (int) Math.floor(f * 100), tablesDone(), bytesByTable.size(), Durations.bytes(doneBytes()),
                Durations.bytes(totalBytes), Durations.human(elapsed), eta, running(), stage);
    }

    /** Prints {@link #line()} every {@code every} until the returned handle is closed. */
    public AutoCloseable reportEvery(Duration every, Consumer<String> out) {
        return Ticker.every(every, phase, this::line, out);
    }
}
