package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.verify.SourceDigests;
import io.pgrelocate.engine.verify.Verifier;
import io.pgrelocate.engine.verify.VerifyResult;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proof in the same pass: the stream copy digests the source's rows as it relays them, and the
 * verification reads those tables back from the target only (binary and text COPY, ranges on the
 * source, whole on the target), still catching what changed on the target after the copy.
 */
class ProofInTheCopyTest {
    private static final String SCHEMA = """
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE TABLE bin (id bigint PRIMARY KEY, amount numeric, at timestamptz, doc jsonb, tags text[], note text);
            INSERT INTO bin SELECT g, g * 1.5, timestamptz '2024-01-01 00:00+00' + g * interval '1 minute', jsonb_build_object('g', g),
                   ARRAY['a' || g, NULL], CASE WHEN g % 10 = 0 THEN NULL ELSE repeat(md5(g::text), 2) END FROM generate_series(1, 20000) g;
            CREATE TABLE no_key (a int, payload text);
            INSERT INTO no_key SELECT g % 1000, repeat(md5((g % 500)::text), 3) FROM generate_series(1, 20000) g;
            CREATE TABLE txt (id int PRIMARY KEY, name citext, note text);
            INSERT INTO txt SELECT g, 'Ñame ' || g, E'tab\\there ' || repeat(md5(g::text), 2) FROM generate_series(1, 15000) g;
            CREATE TABLE small (id int PRIMARY KEY, v text);
            INSERT INTO small SELECT g, 'v' || g FROM generate_series(1, 100) g;
            """;

    private final LocalPostgres pg = TestServers.pg15();

    @Test
    void theSourceRowsAreDigestedAsTheyPassAndOnlyTheTargetIsReadAgain() throws SQLException {
        Copied c = copied("proof", SCHEMA, "public.bin");
        String src = c.src();
        String dst = c.dst();
        long sourceScans = settled(src, "bin");
        long targetScans = settled(dst, "bin");

        VerifyResult v = c.verify();

        assertThat(v.differences()).isEmpty();
        assertThat(v.rowsCompared()).isEqualTo(20000 + 20000 + 15000 + 100);
        assertThat(v.tables().get("public.bin").digest()).startsWith("copy binary ");
        assertThat(v.tables().get("public.no_key").digest()).startsWith("copy binary ");
        assertThat(v.tables().get("public.txt").digest()).startsWith("copy text ");
        assertThat(v.tables().get("public.small").digest()).doesNotStartWith("copy");  // below the threshold: digested in SQL on both sides
        // the target was read back; the source was not read again
        await().atMost(Duration.ofSeconds(20)).until(() -> seqScans(dst, "bin") > targetScans);
        assertThat(settled(src, "bin")).isEqualTo(sourceScans);
    }

    @Test
    void rowsChangedOnTheTargetAfterTheCopyAreCaught() throws SQLException {
        Copied c = copied("proofd", SCHEMA, "public.bin");
        pg.executeSql(c.dst(), """
                UPDATE bin SET amount = amount + 0.01 WHERE id = 777;
                UPDATE txt SET name = 'ñame 42' WHERE id = 42;
                DELETE FROM no_key WHERE ctid = (SELECT min(ctid) FROM no_key);
                """);

        VerifyResult v = c.verify();

        assertThat(v.differences()).extracting(Difference::object).containsExactlyInAnyOrder("public.bin", "public.txt", "public.no_key");
        assertThat(v.differences()).filteredOn(d -> d.object().equals("public.bin")).singleElement()
                .satisfies(d -> assertThat(d.target()).contains("same row count, values differ"));
        assertThat(v.differences()).filteredOn(d -> d.object().equals("public.no_key")).singleElement()
                .satisfies(d -> assertThat(d.source() + " → " + d.target()).isEqualTo("20000 rows → 19999 rows"));
    }

    @Test
    void aRegclassColumnTravelsByNameNotByTheSourcesOid() throws SQLException {
        // binary COPY would carry the source's OID, which names another relation (or none) on the target, and the
        // binary read-back would agree with it: such tables go as text, and the proof compares names
        Copied c = copied("proofr", "CREATE TABLE padding (id int); CREATE TABLE padding2 (id int);"
                + " CREATE TABLE refs (id int PRIMARY KEY, rel regclass, types regtype[], note text);"
                + " INSERT INTO refs SELECT g, 'public.refs'::regclass, ARRAY['int4'::regtype], repeat(md5(g::text), 8) FROM generate_series(1, 6000) g;", "public.refs");

        VerifyResult v = c.verify();

        assertThat(v.differences()).isEmpty();
        assertThat(v.tables().get("public.refs").digest()).startsWith("copy text ");
        assertThat(query(c.dst(), "SELECT count(*) FROM refs WHERE rel = 'public.refs'::regclass AND types = ARRAY['int4'::regtype]")).isEqualTo("6000");
    }

    @Test
    void everyTypeOfTheFullCoverageFixtureDigestsTheSameFromTheStreamAsReadBackFromTheTarget() {
        // every table digested from the stream (threshold 0): enums, composites, ranges, arrays, json, bytea, … in binary and text
        Copied c = copied("proofall", TestServers.resource("/fixtures/full-coverage.sql"), null, new StreamTuning(64L << 20, true, true, 0));

        VerifyResult v = c.verify();

        assertThat(v.differences()).isEmpty();
        assertThat(v.tables()).isNotEmpty();
        assertThat(v.tables()).allSatisfy((name, d) -> assertThat(d.digest()).as(name)
                .satisfiesAnyOf(s -> assertThat(s).startsWith("copy "), s -> assertThat(d.kind()).contains("materialized view")));
        assertThat(v.tables().values()).anySatisfy(d -> assertThat(d.digest()).startsWith("copy text "))
                .anySatisfy(d -> assertThat(d.digest()).startsWith("copy binary "));
    }

    @Test
    void theSwitchoverWindowProvesAStreamCopyWithTheDigestsTakenAsItCopied() {
        String src = TestServers.freshDatabase(pg, "proofw_src");
        pg.executeSql(src, SCHEMA);
        String dst = TestServers.freshDatabase(pg, "proofw_dst");
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(Strategy.STREAM), false);

        MigrationReport r = new Migration(settings, System.out::println, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());

        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.verify().differences()).isEmpty();
        assertThat(r.verify().tables().get("public.bin").digest()).startsWith("copy binary ");
        assertThat(r.verify().tables().get("public.txt").digest()).startsWith("copy text ");
    }

    /** A source database made by {@code sql}, stream-copied into a fresh target; the proof's source side taken on the way. */
    private record Copied(LocalPostgres pg, String src, String dst, SourceDigests digests) {
        VerifyResult verify() {
            return new Verifier(ObjectFilter.SPILO_DEFAULT, 2, System.out::println).withSourceDigests(digests)
                    .verify(TestServers.spec(pg, src), TestServers.spec(pg, dst));
        }
    }

    private Copied copied(String prefix, String sql, String splitTable) {
        return copied(prefix, sql, splitTable, new StreamTuning(256 << 10, true, true));
    }

    private Copied copied(String prefix, String sql, String splitTable, StreamTuning tuning) {
        String src = TestServers.freshDatabase(pg, prefix + "_src");
        pg.executeSql(src, sql);
        String dst = TestServers.freshDatabase(pg, prefix + "_dst");
        return new Copied(pg, src, dst, streamCopy(src, dst, splitTable, tuning));
    }

    /** A stream copy on 3 workers, digesting the source's rows as they pass; {@code splitTable} (if any) must be split. */
    private SourceDigests streamCopy(String src, String dst, String splitTable, StreamTuning tuning) {
        ConnectionSpec source = TestServers.spec(pg, src);
        CopyOptions options = new CopyOptions(Strategy.STREAM, 3, TestServers.workDir(), 0, false, ObjectFilter.SPILO_DEFAULT, PgTools.locate(null), true);
        SourceDigests digests = new SourceDigests();
        try (Db db = Db.connect(source)) {
            CopyResult r = new StreamCopy(options, tuning, digests, System.out::println, Clock.systemUTC())
                    .copy(source, TestServers.spec(pg, dst), new Introspector(db, ObjectFilter.SPILO_DEFAULT).tables(), List.of(), null);
            if (splitTable != null) {
                assertThat(r.stream().tables()).filteredOn(t -> t.table().equals(splitTable)).singleElement()
                        .satisfies(t -> assertThat(t.ranges()).isGreaterThan(1));
            }
        }
        return digests;
    }

    /** Sequential scans of {@code table} once the sessions that ended have reported theirs (unchanged for a second). */
    private long settled(String database, String table) throws SQLException {
        long[] last = {seqScans(database, table)};
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long now = seqScans(database, table);
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
        return last[0];
    }

    private String query(String database, String sql) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Sequential scans of {@code table} so far, as the statistics collector has them. */
    private long seqScans(String database, String table) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
