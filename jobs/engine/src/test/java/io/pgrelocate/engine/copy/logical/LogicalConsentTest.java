package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.testing.TestServers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a run changes by consent is undone, nothing of its own lands on the target, and a stalled slot says why. */
class LogicalConsentTest {

    @Test
    void replicaIdentityFullIsSetBackOnTheSourceAndNeverKeptOnTheTargetNorThePublication() {
        LogicalPair pair = new LogicalPair("lc_ident");
        pair.source("CREATE TABLE loose (id int, note text); INSERT INTO loose SELECT g, 'x' FROM generate_series(1, 50) g;"
                + " CREATE TABLE keyed (id int PRIMARY KEY)");
        LogicalStrategy logical = pair.withDumpRestore(pair.options().withReplicaIdentityFull(true));
        try {
            logical.setup(LogicalReplicationTest.tables(pair), List.of());
            assertThat(pair.sourceValue("SELECT relreplident FROM pg_class WHERE relname = 'loose'")).isEqualTo("f");
            assertThat(pair.targetValue("SELECT relreplident FROM pg_class WHERE relname = 'loose'")).isEqualTo("d");
            assertThat(pair.targetValue("SELECT count(*) FROM pg_publication")).isEqualTo("0");
            // FULL on the source alone is enough for the target to apply updates on a table without a key
            pair.source("UPDATE loose SET note = 'changed' WHERE id = 7");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> "changed".equals(pair.targetValue("SELECT note FROM loose WHERE id = 7")));
        } finally {
            logical.close();
        }
        assertThat(pair.sourceValue("SELECT relreplident FROM pg_class WHERE relname = 'loose'")).isEqualTo("d");
        assertThat(pair.log).anyMatch(l -> l.contains("REPLICA IDENTITY of the source's public.loose set back to DEFAULT"));
        assertThat(pair.leftovers()).isEmpty();
    }

    /** A SIGKILL runs no teardown: the publication's record tells rollback what to set back, and its dry run says so. */
    @Test
    void replicaIdentityFullLeftByASigkillIsSetBackByRollback() throws Exception {
        LogicalPair pair = new LogicalPair("lc_kill");
        pair.source("CREATE TABLE loose (id int, note text); INSERT INTO loose SELECT g, 'x' FROM generate_series(1, 50) g;"
                + " CREATE TABLE nothing (id int); ALTER TABLE nothing REPLICA IDENTITY NOTHING; CREATE TABLE keyed (id int PRIMARY KEY)");
        Path log = TestServers.workDir().resolve("killed.log");
        try {
            Process migration = SetupAndWait.start(pair, log);
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> !migration.isAlive() || Files.readString(log).contains("SETUP DONE"));
            assertThat(migration.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(pair.sourceValue("SELECT string_agg(relname || '=' || relreplident::text, ',' ORDER BY relname) FROM pg_class"
                    + " WHERE relname IN ('loose', 'nothing', 'keyed')")).isEqualTo("keyed=d,loose=f,nothing=f");

            migration.destroyForcibly();  // SIGKILL: no hook runs
            assertThat(migration.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pair.leftovers()).containsExactly("slot", "publication", "subscription");

            java.util.List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.pgrelocate.engine.runbook.Rollback rollback = new io.pgrelocate.engine.runbook.Rollback(out::add, java.time.Clock.systemUTC(),
                    pair.target());
            try (io.pgrelocate.engine.postgres.Db src = io.pgrelocate.engine.postgres.Db.connect(pair.source())) {
                rollback.sourceOnly(src, pair.sourceDb, true);
                assertThat(out).anyMatch(l -> l.startsWith("dry run: would drop subscription " + pair.names.subscription())
                        && l.endsWith("after setting back the REPLICA IDENTITY of public.loose to DEFAULT, public.nothing to NOTHING"));
                assertThat(pair.sourceValue("SELECT relreplident FROM pg_class WHERE relname = 'loose'")).isEqualTo("f");

                rollback.sourceOnly(src, pair.sourceDb, false);
            }
            out.forEach(System.out::println);
            assertThat(pair.sourceValue("SELECT string_agg(relname || '=' || relreplident::text, ',' ORDER BY relname) FROM pg_class"
                    + " WHERE relname IN ('loose', 'nothing', 'keyed')")).isEqualTo("keyed=d,loose=d,nothing=n");
            assertThat(out).contains("teardown: REPLICA IDENTITY of the source's public.loose set back to DEFAULT");
            assertThat(pair.leftovers()).isEmpty();
        } finally {
            Directories.deleteRecursively(log.getParent());
        }
    }

    @Test
    void theDrainEstimateNamesAWriteTransactionStillOpenOnTheSource() throws Exception {
        LogicalPair pair = new LogicalPair("lc_drain");
        pair.source("CREATE TABLE items (id int PRIMARY KEY)");
        LogicalStrategy logical = pair.withDumpRestore(pair.options());
        try (Connection open = pair.sourceServer.connect(pair.sourceDb); Statement st = open.createStatement()) {
            logical.setup(LogicalReplicationTest.tables(pair), List.of());
            st.execute("BEGIN; INSERT INTO items SELECT g FROM generate_series(1, 20000) g");
            LagSample s = logical.monitor().sample();
            assertThat(s.line()).contains("drain ≈ at least ", " plus 1 transaction(s) open on the source (the oldest for ",
                    "applied only at their commit");
            st.execute("COMMIT");
        } finally {
            logical.close();
        }
    }

    @Test
    void sigtermWhileTheSlotWaitsForAnOpenTransactionLeavesNothing() throws Exception {
        LogicalPair pair = new LogicalPair("lc_term");
        pair.source("CREATE TABLE items (id int PRIMARY KEY)");
        Path log = TestServers.workDir().resolve("stalled.log");
        try (Connection open = pair.sourceServer.connect(pair.sourceDb); Statement st = open.createStatement()) {
            st.execute("BEGIN; INSERT INTO items VALUES (1)");
            Process migration = SetupAndWait.start(pair, log);
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> !migration.isAlive() || Files.readString(log).contains("waits until these transactions end"));
            assertThat(migration.isAlive()).as(Files.readString(log)).isTrue();

            migration.destroy();  // SIGTERM
            assertThat(migration.waitFor(60, TimeUnit.SECONDS)).isTrue();
            st.execute("ROLLBACK");
        } finally {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Directories.deleteRecursively(log.getParent());
            assertThat(pair.leftovers()).as(text).isEmpty();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(pair.sourceValue(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender' AND datname = current_database()")));
    }

    @Test
    void anOpenTransactionStallingTheSlotIsNamedWithinSeconds() throws Exception {
        LogicalPair pair = new LogicalPair("lc_open");
        pair.source("CREATE TABLE items (id int PRIMARY KEY)");
        LogicalStrategy logical = pair.withDumpRestore(pair.options());
        try (Connection open = pair.sourceServer.connect(pair.sourceDb); Statement st = open.createStatement()) {
            st.execute("BEGIN; INSERT INTO items VALUES (1)");
            int pid;
            try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            CompletableFuture<Void> setup = CompletableFuture.runAsync(() -> logical.setup(LogicalReplicationTest.tables(pair), List.of()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pair.log.stream().anyMatch(l ->
                    l.startsWith("logical: creating slot " + pair.names.slot() + " waits until these transactions end")
                            && l.contains("session " + pid + " of postgres on " + pair.sourceDb + " (idle in transaction, transaction open ")));
            assertThat(setup).isNotDone();
            st.execute("COMMIT");
            setup.get(60, TimeUnit.SECONDS);
        } finally {
            logical.close();
        }
        assertThat(pair.leftovers()).isEmpty();
    }
}
