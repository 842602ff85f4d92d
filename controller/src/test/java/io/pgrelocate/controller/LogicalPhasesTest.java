package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.ReplicateChild;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Logical in two phases, as a user runs them: {@code replicate} returns with the replication
 * streaming while an application keeps writing; {@code status} reads the lag from the servers alone
 * (growing while the apply is stopped, shrinking after); {@code switch} refuses while the target lags
 * or after DDL, naming the object, then opens the window: every acknowledged write is on the target
 * and nothing of the replication is left. {@code abort} leaves nothing on either server. A
 * {@code replicate} SIGKILLed during the catch-up is completed by {@code switch}; one killed during
 * the bulk copy resumes on rerun, keeping the tables it completed; one killed before its copy recorded
 * anything is refused on rerun (exit 22) with why it must start over.
 */
class LogicalPhasesTest {
    static final String PW = "phase-Pa55";
    final LocalPostgres pg = TestServers.pg15Logical();

    @TempDir
    Path dir;

    @Test
    void replicateThenStatusThenSwitchLosesNoAcknowledgedWrite() throws Exception {
        String app = TestServers.loginRole(pg, "ph_app", PW);
        String source = TestServers.freshDatabase(pg, "ph_src");
        String target = TestServers.freshDatabase(pg, "ph_dst");
        String name = "ph-" + source.replace('_', '-');
        String objects = "pgrelocate_" + name.replace('-', '_');
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY); ALTER TABLE writes OWNER TO " + app
                + "; CREATE TABLE items(id int PRIMARY KEY, note text); INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 5000) g");
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        try {
            await().until(() -> writer.acknowledged().size() > 20);
            Cli cli = Cli.local();
            assertThat(cli.run(args("replicate", source, target, name))).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains("replicate: caught up; replication keeps running");
            // the process is done; the replication goes on on the servers
            assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + objects + "'")).isOne();
            assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subname = '" + objects + "'")).isOne();
            int acked = writer.acknowledged().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> count(target, "SELECT count(*) FROM writes") > acked);

            // the apply stalls (the writer goes on): status sees the lag grow, switch refuses
            pg.executeSql(target, "ALTER SUBSCRIPTION " + objects + " DISABLE");
            long first = statusLag(cli, source, target, name);
            await().atMost(Duration.ofSeconds(30)).until(() -> statusLag(cli, source, target, name) > Math.max(first, 4096));
            assertThat(cli.out()).contains("more than --max-lag").contains("apply worker NOT RUNNING");
            cli.clear();
            List<String> refused = new ArrayList<>(List.of(args("switch", source, target, name)));
            refused.addAll(List.of("--max-lag", "4kB"));
            assertThat(cli.run(refused.toArray(String[]::new))).as(cli.out() + cli.err()).isEqualTo(22);
            assertThat(cli.out() + cli.err()).contains("switch refused: the target is").contains("more than --max-lag");
            assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + objects + "'")).isOne();
            assertThat(writeAccepted(source)).as("the source stays writable after a refused switch").isTrue();

            // the apply resumes: the lag shrinks
            pg.executeSql(target, "ALTER SUBSCRIPTION " + objects + " ENABLE");
            long stalled = statusLag(cli, source, target, name);
            await().atMost(Duration.ofSeconds(60)).until(() -> statusLag(cli, source, target, name) < stalled);

            // DDL on the source since replicate: refused, the object named
            pg.executeSql(source, "ALTER TABLE items ADD COLUMN extra int");
            cli.clear();
            assertThat(cli.run(args("status", source, target, name))).isZero();
            assertThat(cli.out()).contains("schema: DDL on the source since replicate").contains("table public.items changed");
            cli.clear();
            assertThat(cli.run(args("switch", source, target, name))).as(cli.out() + cli.err()).isEqualTo(17);
            assertThat(cli.out() + cli.err()).contains("table public.items changed");
            pg.executeSql(source, "ALTER TABLE items DROP COLUMN extra");

            cli.clear();
            assertThat(cli.run(LocalServers.args(pg, dir, "switch", source, target, name, "--dry-run"))).as(cli.out() + cli.err()).isZero();
            assertThat(cli.outFlat()).contains("drain replication " + objects + " (the replicate run of");
            cli.clear();
            Path report = dir.resolve("switch.json");
            int code = cli.run(LocalServers.args(pg, dir, "switch", source, target, name, "--report", report.toString()));
            assertThat(code).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains(SwitchoverWindow.TARGET_LIVE).contains("continuing the replicate run of");
            assertThat(cli.outFlat()).contains("continues the replicate run of");
            assertThat(Files.readString(report)).contains("\"notes\"").contains("continues the replicate run of");
        } finally {
            writer.close();
        }
        Set<Long> onTarget = idsOn(target);
        assertThat(writer.acknowledged()).isNotEmpty();
        assertThat(onTarget).as("every acknowledged write is on the target").containsAll(writer.acknowledged());
        assertNothingLeft(source, target);
    }

    @Test
    void abortAfterADetachedReplicateLeavesNothingOnEitherServer() throws Exception {
        String source = TestServers.freshDatabase(pg, "ab_src");
        String target = TestServers.freshDatabase(pg, "ab_dst");
        String name = "ab-" + source.replace('_', '-');
        pg.executeSql(source, "CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 1000)"
                + "; CREATE SCHEMA side; CREATE TABLE side.left_out(id int PRIMARY KEY)");
        Cli cli = Cli.local();
        assertThat(cli.run(LocalServers.args(pg, dir, "replicate", source, target, name, "--detach", "--exclude", "schema:side")))
                .as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("replicate: detached with the subscription enabled");
        // status fingerprints the source as replicate did: the schema it left out is no DDL
        cli.clear();
        assertThat(cli.run(args("status", source, target, name))).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("schema: no DDL on the source since replicate");
        assertThat(count(target, "SELECT count(*) FROM pgrelocate.replication")).isOne();
        // a second replicate finds the run by name and does not copy again
        cli.clear();
        assertThat(cli.run(args("replicate", source, target, name))).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("is already streaming").doesNotContain("bulk copy");
        cli.clear();
        assertThat(cli.run(args("abort", source, target, name))).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("abort: nothing of pgrelocate_").contains("the copied rows stay on the target");
        assertNothingLeft(source, target);
        assertThat(count(target, "SELECT count(*) FROM t")).isEqualTo(1000);
        // and with nothing left, switch and status say there is nothing to work on
        cli.clear();
        assertThat(cli.run(args("switch", source, target, name))).isEqualTo(22);
        assertThat(cli.out() + cli.err()).contains("no replication pgrelocate_");
        cli.clear();
        assertThat(cli.run(LocalServers.args(pg, dir, "switch", source, target, name, "--dry-run"))).isEqualTo(22);
        assertThat(cli.out() + cli.err()).contains("no replication pgrelocate_");
        cli.clear();
        assertThat(cli.run(args("status", source, target, name))).isEqualTo(22);
        pg.executeSql("postgres", "DROP DATABASE " + target);
    }

    @Test
    void killedDuringTheCatchUpTheSwitchStillLosesNothing() throws Exception {
        String app = TestServers.loginRole(pg, "kp_app", PW);
        String source = TestServers.freshDatabase(pg, "kp_src");
        String target = TestServers.freshDatabase(pg, "kp_dst");
        String name = "kp-" + source.replace('_', '-');
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY); ALTER TABLE writes OWNER TO " + app);
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        try {
            await().until(() -> writer.acknowledged().size() > 20);
            List<String> lines = KilledChild.runUntil(ReplicateChild.class, "catch-up: lag", TestServers.PASSWORD,
                    pg.uri(source), pg.uri(target), name, "catch-up: lag");
            assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("catch-up: lag"));
            Cli cli = Cli.local();
            String at = java.time.Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            long before = System.nanoTime();
            int code = cli.run(LocalServers.args(pg, dir, "switch", source, target, name, "--at", at));
            assertThat(code).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains("switch: waiting until " + at).contains(SwitchoverWindow.TARGET_LIVE);
            assertThat(cli.out().indexOf("switch: waiting until")).isLessThan(cli.out().indexOf("window: the source is fenced"));
            assertThat(System.nanoTime() - before).as("the window waited for --at").isGreaterThan(Duration.ofSeconds(1).toNanos());
        } finally {
            writer.close();
        }
        Set<Long> onTarget = idsOn(target);
        assertThat(onTarget).as("every acknowledged write is on the target").containsAll(writer.acknowledged());
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
    }

    @Test
    void killedDuringTheBulkCopyARerunSaysWhyItMustStartOverAndAbortClears() throws Exception {
        String source = TestServers.freshDatabase(pg, "kb_src");
        String target = TestServers.freshDatabase(pg, "kb_dst");
        String name = "kb-" + source.replace('_', '-');
        pg.executeSql(source, "CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 1000)");
        List<String> lines = KilledChild.runUntil(ReplicateChild.class, "logical: slot ", TestServers.PASSWORD,
                pg.uri(source), pg.uri(target), name, "logical: slot ");
        assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("logical: slot "));
        Cli cli = Cli.local();
        assertThat(cli.run(args("replicate", source, target, name))).as(cli.out() + cli.err()).isEqualTo(22);
        assertThat(cli.out() + cli.err()).contains("stopped before its bulk copy finished").contains("pgrelocate abort");
        cli.clear();
        assertThat(cli.run(args("abort", source, target, name))).as(cli.out() + cli.err()).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
    }

    @Test
    void killedDuringTheBulkCopyARerunKeepsTheCompleteTablesCopiesTheRestAndTheSwitchLosesNothing() throws Exception {
        String app = TestServers.loginRole(pg, "kr_app", PW);
        String source = TestServers.freshDatabase(pg, "kr_src");
        String target = TestServers.freshDatabase(pg, "kr_dst");
        String name = "kr-" + source.replace('_', '-');
        // tables of different sizes, an index, a foreign key and a trigger (post-data) to be made after the resumed copy
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY); ALTER TABLE writes OWNER TO " + app
                + "; CREATE TABLE big(id int PRIMARY KEY, pad text); INSERT INTO big SELECT g, repeat('x', 200) || g FROM generate_series(1, 400000) g"
                + "; CREATE INDEX big_pad ON big(pad)"
                + "; CREATE TABLE mid(id int PRIMARY KEY, big_id int REFERENCES big, note text); INSERT INTO mid SELECT g, g, 'm' || g FROM generate_series(1, 20000) g"
                + "; CREATE TABLE small1(id int PRIMARY KEY, v int); INSERT INTO small1 SELECT g, g FROM generate_series(1, 300) g"
                + "; CREATE TABLE small2(id int PRIMARY KEY, v int); INSERT INTO small2 SELECT g, g FROM generate_series(1, 50) g"
                + "; CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.v := NEW.v; RETURN NEW; END$$"
                + "; CREATE TRIGGER small1_touch BEFORE UPDATE ON small1 FOR EACH ROW EXECUTE FUNCTION touch()");
        int tables = 5;
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        try {
            await().until(() -> writer.acknowledged().size() > 20);
            List<String> lines = KilledChild.runUntil(ReplicateChild.class, "bulk copy: ", TestServers.PASSWORD,
                    pg.uri(source), pg.uri(target), name, "bulk copy: ");
            assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("bulk copy: ") && l.endsWith("complete and recorded on the target"));
            // changes to every table while nothing runs, kept or copied again alike
            pg.executeSql(source, "UPDATE big SET pad = 'changed' WHERE id <= 500; DELETE FROM mid WHERE id > 19900"
                    + "; UPDATE small1 SET v = -v WHERE id <= 10; DELETE FROM small2 WHERE id <= 5; INSERT INTO small2 VALUES (1000, 1)");
            Cli cli = Cli.local();
            assertThat(cli.run(args("replicate", source, target, name))).as(cli.out() + cli.err()).isZero();
            Matcher m = Pattern.compile("keeping (\\d+) table\\(s\\) complete on the target, copying (\\d+) again").matcher(cli.out());
            assertThat(m.find()).as(cli.out()).isTrue();
            int kept = Integer.parseInt(m.group(1));
            int again = Integer.parseInt(m.group(2));
            assertThat(kept).as("tables kept").isPositive();
            assertThat(kept + again).isEqualTo(tables);
            assertThat(again).as("tables copied again, fewer than all").isLessThan(tables).isPositive();
            assertThat(cli.out()).contains("replicate: caught up; replication keeps running");
            assertThat(count(target, "SELECT count(*) FROM pgrelocate.bulk_copy")).as("the ledger goes once the run is recorded").isZero();
            pg.executeSql(source, "UPDATE big SET pad = 'again' WHERE id BETWEEN 1000 AND 1100; UPDATE small1 SET v = 7 WHERE id = 300");
            cli.clear();
            int code = cli.run(LocalServers.args(pg, dir, "switch", source, target, name));
            assertThat(code).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains(SwitchoverWindow.TARGET_LIVE);
        } finally {
            writer.close();
        }
        assertThat(idsOn(target)).as("every acknowledged write is on the target").containsAll(writer.acknowledged());
        assertThat(count(target, "SELECT count(*) FROM big WHERE pad = 'again'")).isEqualTo(101);
        assertThat(count(target, "SELECT count(*) FROM mid")).isEqualTo(19900);
        assertThat(count(target, "SELECT count(*) FROM small2")).isEqualTo(46);
        // made once each after the resumed copy
        assertThat(count(target, "SELECT count(*) FROM pg_indexes WHERE indexname IN ('big_pad', 'big_pkey', 'mid_pkey')")).isEqualTo(3);
        assertThat(count(target, "SELECT count(*) FROM pg_constraint WHERE conname = 'mid_big_id_fkey' AND convalidated")).isOne();
        assertThat(count(target, "SELECT count(*) FROM pg_trigger WHERE tgname = 'small1_touch'")).isOne();
        assertNothingLeft(source, target);
    }

    private Set<Long> idsOn(String target) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = pg.connect(target); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM writes")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private void assertNothingLeft(String source, String target) throws Exception {
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgrelocate'")).isZero();
    }

    private static final Pattern LAG = Pattern.compile("lag: ([0-9.]+) (B|kB|KB|KiB|MB|MiB|GB|GiB)");

    /** The lag in bytes as status prints it (rounded as printed). */
    private long statusLag(Cli cli, String source, String target, String name) throws Exception {
        cli.clear();
        List<String> a = new ArrayList<>(List.of(args("status", source, target, name)));
        a.addAll(List.of("--sample", "1s", "--max-lag", "4kB"));
        assertThat(cli.run(a.toArray(String[]::new))).as(cli.out() + cli.err()).isZero();
        Matcher m = LAG.matcher(cli.out());
        assertThat(m.find()).as(cli.out()).isTrue();
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "B" -> 1;
            case "kB", "KB", "KiB" -> 1024;
            case "MB", "MiB" -> 1024 * 1024;
            default -> 1024L * 1024 * 1024;
        };
        return (long) (n * unit);
    }

    private String[] args(String command, String source, String target, String name) throws Exception {
        return LocalServers.args(pg, dir, command, source, target, name);
    }

    private boolean writeAccepted(String source) {
        try {
            pg.executeSql(source, "CREATE TEMP TABLE probe(x int)");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private long count(String db, String sql) throws Exception {
        return LocalServers.count(pg, db, sql);
    }
}
