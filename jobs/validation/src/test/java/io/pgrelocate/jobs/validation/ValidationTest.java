package io.pgrelocate.jobs.validation;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.baseline.QueryTiming;
import io.pgrelocate.engine.integrity.ForeignKeyOrphans;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validation after a real migration (pg_dump/pg_restore between two databases of a PostgreSQL 15
 * server): verify, foreign keys, extensions, endpoints and the performance baseline.
 */
class ValidationTest {
    private static final String SOURCE = """
            CREATE EXTENSION pgcrypto;
            CREATE TABLE accounts (id bigint PRIMARY KEY, name text);
            CREATE TABLE statuses (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, body text);
            CREATE TABLE tags (tenant int, name text, PRIMARY KEY (tenant, name));
            CREATE TABLE taggings (id int PRIMARY KEY, tenant int, tag text, FOREIGN KEY (tenant, tag) REFERENCES tags);
            INSERT INTO accounts SELECT g, 'user' || g FROM generate_series(1, 2000) g;
            INSERT INTO statuses SELECT g, 1 + g % 2000, repeat('toot ', 20) FROM generate_series(1, 20000) g;
            INSERT INTO tags SELECT 1, 'tag' || g FROM generate_series(1, 500) g;
            INSERT INTO taggings SELECT g, 1, 'tag' || (1 + g % 500) FROM generate_series(1, 5000) g;
            """;
    private static final String ORPHAN = "SET session_replication_role = replica;"
            + " INSERT INTO taggings VALUES (900001, 7, 'no-such-tag')";

    private final LocalPostgres pg = TestServers.pg15();

    /** A source, and a target that a real migration filled from it. */
    private MigrationSettings migrated(String name) {
        String source = TestServers.freshDatabase(pg, name + "_src");
        String target = TestServers.freshDatabase(pg, name + "_tgt");
        pg.executeSql(source, SOURCE);
        ConnectionSpec s = TestServers.spec(pg, source);
        ConnectionSpec t = TestServers.spec(pg, target);
        assertThat(TestServers.migrate(s, t, false).exitCode()).isZero();
        return new MigrationSettings(s, t, TestServers.copyOptions(TestServers.workDir(), false), false);
    }

    private static ValidationReport validate(MigrationSettings settings, ConnectionSpec ro, Double maxRatio) {
        return new Validation(settings, ro, false, maxRatio, line -> { }, Clock.systemUTC()).run();
    }

    private static String database(ConnectionSpec spec) {
        return spec.database();
    }

    @Test
    void cleanMigrationPassesWithNoOrphansAndABaselineForBothSides() {
        ValidationReport r = validate(migrated("va_clean"), null, null);

        assertThat(r.passed()).as(r.summary()).isTrue();
        assertThat(r.verify().exitCode()).isZero();
        assertThat(r.foreignKeys()).extracting(ForeignKeyOrphans::constraint)
                .containsExactly("public.statuses.statuses_account_id_fkey", "public.taggings.taggings_tenant_tag_fkey");
        assertThat(r.foreignKeys()).allMatch(k -> k.orphans() == 0);
        assertThat(r.performance().queries()).extracting(q -> q.query() + " " + q.table()).containsExactly(
                "count(*) public.statuses", "primary-key lookup public.statuses", "ordered LIMIT 100 public.statuses",
                "count(*) public.taggings", "primary-key lookup public.taggings", "ordered LIMIT 100 public.taggings",
                "count(*) public.accounts", "primary-key lookup public.accounts", "ordered LIMIT 100 public.accounts");
        assertThat(r.performance().queries()).allMatch(q -> q.sourceMillis() > 0 && q.targetMillis() > 0 && q.ratio() > 0);
        assertThat(r.performance().overallRatio()).isPositive();
        assertThat(r.summary()).contains("  ok    extensions: installed on the target: pgcrypto ", "  ok    integrity: 2 foreign key(s), no orphan rows",
                "(informational)", "performance baseline (median of 3 runs)", "job     validation SUCCESS (exit 0)");
        assertThat(r.outcome().json()).contains("\"passed\" : true", "\"overallRatio\"", "\"ratio\"", "\"orphans\" : 0")
                .doesNotContain(TestServers.PASSWORD);
    }

    @Test
    void orphanOnlyOnTheTargetIsNamedAndVerifyDecidesTheExitCode() {
        MigrationSettings settings = migrated("va_orphan");
        pg.executeSql(database(settings.target()), ORPHAN);

        ValidationReport r = validate(settings, null, null);

        assertThat(r.passed()).isFalse();
        assertThat(r.outcome().exitCode()).as("the extra row is a difference").isEqualTo(ExitCode.DIFFERENCES.code());
        assertThat(r.foreignKeys()).filteredOn(k -> k.orphans() > 0).extracting(ForeignKeyOrphans::constraint)
                .containsExactly("public.taggings.taggings_tenant_tag_fkey");
        assertThat(r.summary()).contains("  ✗ public.taggings.taggings_tenant_tag_fkey: public.taggings (tenant, tag) → public.tags (tenant, name): 1 orphan row",
                "  FAIL  integrity: 1 of 2 foreign key(s) have orphan rows");
    }

    @Test
    void orphanOnBothSidesPassesVerifyButFailsWith17() {
        MigrationSettings settings = migrated("va_both");
        pg.executeSql(database(settings.source()), ORPHAN);
        pg.executeSql(database(settings.target()), ORPHAN);

        ValidationReport r = validate(settings, null, null);

        assertThat(r.verify().exitCode()).isZero();
        assertThat(r.outcome().exitCode()).isEqualTo(ExitCode.CHECK_FAILED.code());
        assertThat(r.verdict().error()).startsWith("integrity: 1 of 2 foreign key(s) have orphan rows, first public.taggings.taggings_tenant_tag_fkey")
                .doesNotContain("\n");
        assertThat(r.summary()).as("one result, the job's: the step's own is labelled as a step")
                .contains("step    verify: SUCCESS", "job     validation FAILED: " + ExitCode.CHECK_FAILED.meaning() + " (exit 17)")
                .doesNotContain("result  SUCCESS");
    }

    @Test
    void afterTheSwitchTheTargetTheApplicationsWriteOnIsValidatedAgainstTheSwitchPoint() {
        String source = TestServers.freshDatabase(pg, "va_switch_src");
        String target = TestServers.freshDatabase(pg, "va_switch_tgt");
        pg.executeSql(source, SOURCE + "CREATE TABLE notes (id bigserial PRIMARY KEY, body text); INSERT INTO notes (body) VALUES ('a'), ('b');");
        ConnectionSpec s = TestServers.spec(pg, source);
        ConnectionSpec t = TestServers.spec(pg, target);
        MigrationSettings settings = new MigrationSettings(s, t, TestServers.copyOptions(TestServers.workDir(), true), false);
        MigrationReport switched = new Migration(settings, line -> { }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
        assertThat(switched.exitCode()).as(switched.error()).isZero();
        // the applications write on the target, which is the point of the switch
        pg.executeSql(target, "INSERT INTO notes (body) VALUES ('written on the target'); UPDATE accounts SET name = 'moved' WHERE id = 1;"
                + "DELETE FROM statuses WHERE id = 7");

        assertThat(validate(settings, null, null).outcome().exitCode()).as("a plain comparison with the source fails on the apps' writes")
                .isEqualTo(ExitCode.DIFFERENCES.code());
        ValidationReport r = new Validation(settings, null, false, null, line -> { }, Clock.systemUTC()).afterSwitch(true).run();

        assertThat(r.passed()).as(r.summary()).isTrue();
        assertThat(r.verify().verify().warnings()).anySatisfy(w -> assertThat(w).startsWith("after the switch: rows and large objects are not compared"));
        assertThat(r.summary()).contains("job     validation SUCCESS (exit 0)");

        pg.executeSql(target, "SELECT setval('notes_id_seq', 1)");
        ValidationReport behind = new Validation(settings, null, false, null, line -> { }, Clock.systemUTC()).afterSwitch(true).run();
        assertThat(behind.outcome().exitCode()).isEqualTo(ExitCode.DIFFERENCES.code());
        assertThat(behind.verify().verify().differences()).extracting(d -> d.describe())
                .containsExactly("sequence public.notes_id_seq: source last_value=2, is_called=true, target last_value=1, is_called=true "
                        + "(behind the switch point: the next values exist already)");
    }

    @Test
    void targetSlowerThanTheMaximumRatioFailsWith17() {
        ValidationReport r = validate(migrated("va_perf"), null, 1e-9);

        assertThat(r.outcome().exitCode()).isEqualTo(17);
        assertThat(r.verdict().error()).startsWith("performance: target/source ").contains("more than PGRELOCATE_PERF_MAX_RATIO=1.0E-9");
    }

    @Test
    void writableReadOnlyEndpointFailsWith17() {
        MigrationSettings settings = migrated("va_ro");
        ValidationReport r = validate(settings, settings.target(), null);

        assertThat(r.outcome().exitCode()).isEqualTo(17);
        assertThat(r.verdict().error()).startsWith("ro read-only: " + settings.target().display() + " accepts writes");
        assertThat(r.summary()).contains("  WARN  rw tls: ", "TLS is not in use");
    }

    @Test
    void unreachableTargetEndsWithTheConnectionsExitCodeAndNoChecks() {
        MigrationSettings settings = migrated("va_down");
        ConnectionSpec down = ConnectionSpec.parse("postgresql://postgres@127.0.0.1:1/x?sslmode=disable");
        ValidationReport r = validate(new MigrationSettings(settings.source(), down, settings.copy(), false), null, null);

        assertThat(r.outcome().exitCode()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(r.checks()).isEmpty();
        assertThat(r.foreignKeys()).isNull();
    }

    @Test
    void timingRatioIsTargetOverSource() {
        assertThat(new QueryTiming("public.t", "count(*)", 2.0, 3.0).ratio()).isEqualTo(1.5);
        assertThat(new QueryTiming("public.t", "count(*)", 0.0, 0.0).ratio()).isEqualTo(1.0);
    }
}
