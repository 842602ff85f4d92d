package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logical window does not grow with the data: the same switch at two sizes executes the same
 * statements between the fence and the target going live, as the server itself logs them
 * ({@code log_statement = all} on the two databases), and none of them reads a user table's rows.
 */
class LogicalWindowWorkTest {
    private static final Pattern ENTRY = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final Pattern STATEMENT = Pattern.compile("LOG:  (?:statement|execute [^:]*): (.*)", Pattern.DOTALL);
    /** count(*) straight from a relation that is not a catalog, as a row count of a table reads. */
    private static final Pattern COUNT_OF_A_RELATION = Pattern.compile("count\\(\\*\\)\\s+from\\s+(only\\s+)?(?!pg_|\\()");
    /** pgrelocate's own records of the run on the target (a row per run, per copied table), which the window deletes. */
    private static final Pattern RUN_RECORD = Pattern.compile("from pgrelocate\\.(replication|bulk_copy)\\b");
    private static final String FENCED = "window-work-test: fenced";
    private static final String LIVE = "window-work-test: live";
    private static final List<String> TABLES = List.of("bulk", "writes", "ledger_lines");

    final LocalPostgres pg = TestServers.pg15Logical();
    final List<String> out = new CopyOnWriteArrayList<>();

    @Test
    void theStatementsInsideTheWindowAreTheSameAt20kAnd400kRowsAndNoneReadsATable() throws Exception {
        Set<String> small = statementsInTheWindow(20_000);
        Set<String> large = statementsInTheWindow(400_000);

        assertThat(small).as("statements between the fence and the target going live").isNotEmpty();
        assertThat(large).isEqualTo(small);
        for (String sql : large) {
            String lower = sql.toLowerCase(Locale.ROOT);
            if (!RUN_RECORD.matcher(lower).find()) {
                assertThat(lower).as("no row is counted inside the window").doesNotContainPattern(COUNT_OF_A_RELATION);
            }
            for (String table : TABLES) {
                assertThat(lower).as("no user table is read inside the window").doesNotContainPattern("\\b" + table + "\\b");
            }
        }
    }

    @Test
    void largeObjectsChangedDuringTheCatchUpAreWrittenInTheWindowAndTheRestWasCopiedBefore() throws Exception {
        String source = TestServers.freshDatabase(pg, "ww_src");
        String target = TestServers.freshDatabase(pg, "ww_dst");
        schema(source, 1_000);
        pg.executeSql(source, "SELECT lo_from_bytea(4242001, 'kept'), lo_from_bytea(4242002, 'changed'), lo_from_bytea(4242003, 'removed')");

        MigrationReport r = migrate(source, target, line -> {
            if (line.startsWith("logical: caught up")) {  // after the catch-up copied every large object, before the fence
                pg.executeSql(source, "SELECT lo_put(4242002, 0, 'CHANGED'), lo_unlink(4242003), lo_from_bytea(4242004, 'created')");
            }
        });

        assertThat(r.exitCode()).as(String.join("\n", out) + "\n" + Summary.of(r)).isZero();
        assertThat(out).anyMatch(l -> l.startsWith("logical: 3 large object(s) on the target before the window ("));
        assertThat(out).anyMatch(l -> l.startsWith("carry: ") && l.contains("2 large objects changed since the catch-up written and 1 removed"));
        try (Db s = Db.connect(TestServers.spec(pg, source)); Db t = Db.connect(TestServers.spec(pg, target))) {
            String contents = "SELECT string_agg(oid || '=' || convert_from(lo_get(oid), 'UTF8'), ',' ORDER BY oid) FROM pg_largeobject_metadata";
            assertThat(t.text(contents)).isEqualTo(s.text(contents)).isEqualTo("4242001=kept,4242002=CHANGED,4242004=created");
        }
    }

    @Test
    void theDryRunNamesWhatStillGrowsWithTheDataWithItsSize() {
        String source = TestServers.freshDatabase(pg, "ww_src");
        String target = TestServers.freshDatabase(pg, "ww_dst");
        schema(source, 1_000);
        pg.executeSql(source, "CREATE UNLOGGED TABLE cache(k text PRIMARY KEY, v text); INSERT INTO cache SELECT g::text, md5(g::text) FROM generate_series(1, 5000) g; "
                + "CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM bulk; SELECT lo_from_bytea(0, 'a large object')");

        MigrationReport r = new Migration(settings(source, target), out::add, Clock.systemUTC()).migrate(true, Applications.switchWithoutApplications());

        assertThat(r.exitCode()).as(String.join("\n", out)).isZero();
        assertThat(out).contains("dry run: would in the window, whatever the size: the schema fingerprint, the drain to the fenced source's final "
                + "position, the sequences (one statement per side); no row is counted or read");
        assertThat(out).anyMatch(l -> l.matches("dry run: would in the window, growing with the data: copy the rows of 1 unlogged table "
                + "\\([0-9.]+ KiB; replication does not carry them\\)"));
        assertThat(out).anyMatch(l -> l.matches("dry run: would in the window, growing with the data: refresh 1 materialized view on the target "
                + "\\([0-9.]+ KiB on the source; a refresh runs the view's query\\)"));
        assertThat(out).anyMatch(l -> l.matches("dry run: would large objects: 1 large object \\([0-9.]+ KiB\\) copied during the catch-up; in the "
                + "window only those changed since are written, found by their pages' versions \\(no content read\\)"));
        try (Db t = Db.connect(TestServers.spec(pg, target))) {
            assertThat(t.longValue("SELECT count(*) FROM pg_class WHERE relname = 'bulk'")).as("nothing copied").isZero();
        }
    }

    /** One logical switch of a source with {@code rows} rows; the normalised statements the server logged inside its window. */
    private Set<String> statementsInTheWindow(int rows) throws Exception {
        String source = TestServers.freshDatabase(pg, "ww_src");
        String target = TestServers.freshDatabase(pg, "ww_dst");
        schema(source, rows);
        long logStart = Files.size(pg.logFile());
        for (String db : List.of(source, target)) {
            pg.executeSql("postgres", "ALTER DATABASE " + db + " SET log_statement = 'all'");
        }
        MigrationReport r;
        try (Connection marker = pg.connect(target); Statement st = marker.createStatement()) {
            r = migrate(source, target, line -> {
                if (line.startsWith("window: the source is fenced at ")) {
                    mark(st, FENCED);
                } else if (line.equals(SwitchoverWindow.TARGET_LIVE)) {
                    mark(st, LIVE);
                }
            });
        }
        assertThat(r.exitCode()).as(String.join("\n", out) + "\n" + Summary.of(r)).isZero();
        assertThat(r.verify().rowsCompared()).as("the rows were compared after the thaw").isEqualTo(rows + 3L);
        return between(logEntries(logStart), FENCED, LIVE);
    }

    private void schema(String source, int rows) {
        pg.executeSql(source, "CREATE TABLE writes(id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp()); "
                + "INSERT INTO writes DEFAULT VALUES; CREATE SEQUENCE ticket_seq INCREMENT 7; SELECT nextval('ticket_seq'); "
                + "CREATE TABLE ledger_lines(id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text); "
                + "INSERT INTO ledger_lines(note) VALUES ('a'), ('b'); "
                + "CREATE TABLE bulk AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, " + rows + ") g; "
                + "ALTER TABLE bulk ADD PRIMARY KEY (id)");
    }

    private MigrationReport migrate(String source, String target, Consumer<String> spy) {
        out.clear();
        return new Migration(settings(source, target), line -> {
            out.add(line);
            spy.accept(line);
        }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
    }

    private MigrationSettings settings(String source, String target) {
        LogicalSettings logical = new LogicalSettings("ww_" + source, 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false);
        return new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(Strategy.LOGICAL), false, null, null, logical);
    }

    /** A statement of the test's own in the server log, in order with the window's: the engine waits for it. */
    private static void mark(Statement st, String text) {
        try {
            st.execute("SELECT '" + text + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SQL of every statement the server logged since {@code from} (a byte offset), multi-line entries joined. */
    private List<String> logEntries(long from) throws IOException {
        byte[] all = Files.readAllBytes(pg.logFile());
        String text = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
        List<String> entries = new ArrayList<>();
        StringBuilder entry = null;
        for (String line : text.split("\n")) {
            if (ENTRY.matcher(line).find()) {
                if (entry != null) {
                    entries.add(entry.toString());
                }
                entry = new StringBuilder(line);
            } else if (entry != null) {
                entry.append(' ').append(line.strip());
            }
        }
        if (entry != null) {
            entries.add(entry.toString());
        }
        List<String> statements = new ArrayList<>();
        for (String e : entries) {
            var m = STATEMENT.matcher(e);
            if (m.find()) {
                statements.add(m.group(1).strip());
            }
        }
        return statements;
    }

    /**
     * The statements strictly between the two markers, with what differs between two runs of the same
     * switch made alike: numbers (database names' counters, LSNs, oids) and string literals.
     */
    private static Set<String> between(List<String> statements, String start, String end) {
        int from = indexOf(statements, start);
        int to = indexOf(statements, end);
        assertThat(from).as("the fence marker in the server log").isNotNegative();
        assertThat(to).as("the target-live marker after it").isGreaterThan(from);
        Set<String> normalised = new TreeSet<>();
        for (String sql : statements.subList(from + 1, to)) {
            normalised.add(sql.replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "#").replaceAll("\\s+", " "));
        }
        return normalised;
    }

    private static int indexOf(List<String> statements, String marker) {
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }
}
