package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each refusal of the logical preflight against real servers, with the fix it names, and nothing changed. */
class LogicalPreflightTest {
    private static PreflightResult preflight(LogicalPair pair, ConnectionSpec source, LogicalOptions options) {
        PreflightResult r = new LogicalPreflight(options, false).run(source, pair.target());
        r.checks().forEach(c -> System.out.println((c.passed() ? "ok   " : "FAIL ") + c.line()));
        return r;
    }

    private static Check check(PreflightResult r, String name) {
        return r.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aReadySourcePasses() {
        LogicalPair pair = new LogicalPair("lp_ok");
        pair.source("CREATE TABLE t (id int PRIMARY KEY)");
        PreflightResult r = preflight(pair, pair.source(), pair.options());
        assertThat(r.passed()).isTrue();
        assertThat(pair.sourceValue("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void walLevelReplicaIsRefusedWithTheFixForEachKind() {
        LogicalPair pair = new LogicalPair("lp_wal");
        String db = TestServers.freshDatabase(pair.targetServer, "lp_wal_replica");  // the plain server: wal_level=replica
        ConnectionSpec replica = TestServers.spec(pair.targetServer, db);
        Check unknown = check(preflight(pair, replica, pair.options()), "logical: wal_level");
        assertThat(unknown.passed()).isFalse();
        assertThat(unknown.failure()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(unknown.message()).contains("wal_level=replica", "spec.postgresql.parameters.wal_level: logical",
                "primary.extendedConfiguration", "parameter group");

        pair.targetServer.executeSql(db, "CREATE SCHEMA metric_helpers");  // what Spilo adds
        Check spilo = check(preflight(pair, replica, pair.options()), "logical: wal_level");
        assertThat(spilo.message()).contains("Zalando: set spec.postgresql.parameters.wal_level: logical")
                .doesNotContain("Bitnami");
    }

    @Test
    void noFreeSlotIsRefused() {
        LogicalPair pair = new LogicalPair("lp_slot");
        int free = Integer.parseInt(pair.sourceValue(
                "SELECT current_setting('max_replication_slots')::int - (SELECT count(*) FROM pg_replication_slots)"));
        List<String> taken = new ArrayList<>();
        try {
            for (int i = 0; i < free; i++) {
                String name = "lp_filler_" + i;
                pair.source("SELECT pg_create_physical_replication_slot('" + name + "')");
                taken.add(name);
            }
            Check slots = check(preflight(pair, pair.source(), pair.options()), "logical: slots");
            assertThat(slots.passed()).isFalse();
            assertThat(slots.message()).contains("0 free replication slot", "raise max_replication_slots");
        } finally {
            taken.forEach(name -> pair.source("SELECT pg_drop_replication_slot('" + name + "')"));
        }
    }

    @Test
    void aUserWithoutReplicationIsRefused() {
        LogicalPair pair = new LogicalPair("lp_role");
        String role = "lp_app_" + pair.sourceDb;
        pair.source("CREATE ROLE " + role + " LOGIN PASSWORD '" + TestServers.PASSWORD + "'");
        pair.source("GRANT CONNECT ON DATABASE " + pair.sourceDb + " TO " + role);
        try {
            ConnectionSpec app = new ConnectionSpec(pair.source().host(), pair.source().port(), pair.sourceDb, role,
                    Secret.of(TestServers.PASSWORD), pair.source().sslMode(), null);
            Check privilege = check(preflight(pair, app, pair.options()), "logical: replication privilege");
            assertThat(privilege.passed()).isFalse();
            assertThat(privilege.failure()).isEqualTo(ExitCode.PRIVILEGES);
            assertThat(privilege.message()).contains("ALTER ROLE \"" + role + "\" REPLICATION");
        } finally {
            pair.source("REVOKE CONNECT ON DATABASE " + pair.sourceDb + " FROM " + role);
            pair.source("DROP ROLE " + role);
        }
    }

    @Test
    void tablesWithoutReplicaIdentityAreListedAndFullNeedsConsent() {
        LogicalPair pair = new LogicalPair("lp_ident");
        pair.source("""
                CREATE TABLE keyed (id int PRIMARY KEY);
                CREATE TABLE loose (a int, b text);
                CREATE TABLE nothing (id int PRIMARY KEY); ALTER TABLE nothing REPLICA IDENTITY NOTHING;
                CREATE TABLE by_index (a int NOT NULL); CREATE UNIQUE INDEX by_index_a ON by_index (a);
                ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_a;
                """);
        Check refused = check(preflight(pair, pair.source(), pair.options()), "logical: replica identity");
        assertThat(refused.passed()).isFalse();
        assertThat(refused.message()).contains("2 table(s)", "public.loose", "public.nothing", "--replica-identity-full")
                .doesNotContain("public.keyed", "public.by_index");

        Check consented = check(preflight(pair, pair.source(), pair.options().withReplicaIdentityFull(true)), "logical: replica identity");
        assertThat(consented.passed()).isTrue();
        assertThat(consented.message()).contains("REPLICA IDENTITY FULL", "public.loose");
        assertThat(pair.sourceValue("SELECT relreplident FROM pg_class WHERE relname = 'loose'")).isEqualTo("d");  // preflight changed nothing
    }

    @Test
    void aTargetThatIsNotEmptyIsRefused() {
        LogicalPair pair = new LogicalPair("lp_full");
        pair.target("CREATE TABLE leftover (id int)");
        Check empty = check(preflight(pair, pair.source(), pair.options()), "target empty");
        assertThat(empty.passed()).isFalse();
        assertThat(empty.failure()).isEqualTo(ExitCode.TARGET_NOT_EMPTY);
        assertThat(empty.message()).contains("public.leftover");
        assertThat(preflight(pair, pair.source(), new LogicalOptions(pair.names, ObjectFilter.SPILO_DEFAULT, false, true,
                LogicalOptions.DEFAULT_MAX_LAG, pair.options().reportEvery(), null, null)).passed()).isTrue();
    }
}
