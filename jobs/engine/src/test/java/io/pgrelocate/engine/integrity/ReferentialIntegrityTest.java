package io.pgrelocate.engine.integrity;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orphan rows slipped past the foreign keys with {@code session_replication_role = replica} (which
 * skips their triggers) are counted per key: single and multi-column keys, MATCH SIMPLE and FULL,
 * partitioned tables; keys with a NULL part are not orphans under MATCH SIMPLE.
 */
class ReferentialIntegrityTest {
    private static final String SCHEMA = """
            CREATE TABLE accounts (id bigint PRIMARY KEY);
            CREATE TABLE statuses (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts);
            CREATE TABLE tenants_codes (tenant int, code text, PRIMARY KEY (tenant, code));
            CREATE TABLE items (id int PRIMARY KEY, tenant int, code text,
                                CONSTRAINT items_code_fk FOREIGN KEY (tenant, code) REFERENCES tenants_codes);
            CREATE TABLE strict_items (id int PRIMARY KEY, tenant int, code text,
                                CONSTRAINT strict_fk FOREIGN KEY (tenant, code) REFERENCES tenants_codes MATCH FULL);
            CREATE TABLE events (id int, account_id bigint REFERENCES accounts, at date) PARTITION BY RANGE (at);
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            INSERT INTO accounts VALUES (1), (2);
            INSERT INTO statuses VALUES (1, 1), (2, 2), (3, NULL);
            INSERT INTO tenants_codes VALUES (1, 'a'), (2, 'b');
            INSERT INTO items VALUES (1, 1, 'a'), (2, 2, NULL), (3, NULL, 'zz');
            INSERT INTO strict_items VALUES (1, 1, 'a'), (2, NULL, NULL);
            INSERT INTO events VALUES (1, 1, '2025-05-01'), (2, 2, '2026-05-01');
            """;

    private static List<ForeignKeyOrphans> check(LocalPostgres pg, String database) {
        try (Db db = Db.connect(TestServers.spec(pg, database))) {
            return new ReferentialIntegrity(ObjectFilter.NONE, line -> { }).check(db);
        }
    }

    private static long orphans(List<ForeignKeyOrphans> keys, String constraint) {
        return keys.stream().filter(k -> k.constraint().equals(constraint)).findFirst()
                .orElseThrow(() -> new AssertionError("no foreign key " + constraint + " in " + keys)).orphans();
    }

    @Test
    void cleanDatabaseHasNoOrphansAndNullKeysAreNotOrphans() {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "ri_clean");
        pg.executeSql(db, SCHEMA);

        List<ForeignKeyOrphans> keys = check(pg, db);

        assertThat(keys).extracting(ForeignKeyOrphans::constraint).containsExactly(
                "public.events.events_account_id_fkey", "public.items.items_code_fk",
                "public.statuses.statuses_account_id_fkey", "public.strict_items.strict_fk");
        assertThat(keys).allMatch(k -> k.orphans() == 0);
        assertThat(ReferentialIntegrity.verdict(keys).passed()).isTrue();
    }

    @Test
    void orphansAreCountedPerKeyAndTheFirstBrokenKeyIsNamed() {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "ri_orphans");
        pg.executeSql(db, SCHEMA + """
                SET session_replication_role = replica;
                INSERT INTO statuses VALUES (10, 99), (11, 98);
                INSERT INTO items VALUES (10, 1, 'b');
                INSERT INTO strict_items VALUES (10, 1, NULL);
                INSERT INTO events VALUES (10, 97, '2026-06-01');
                """);

        List<ForeignKeyOrphans> keys = check(pg, db);

        assertThat(orphans(keys, "public.statuses.statuses_account_id_fkey")).isEqualTo(2);
        assertThat(orphans(keys, "public.items.items_code_fk")).as("(1, 'b') matches no (tenant, code) pair").isEqualTo(1);
        assertThat(orphans(keys, "public.strict_items.strict_fk")).as("MATCH FULL forbids a partly null key").isEqualTo(1);
        assertThat(orphans(keys, "public.events.events_account_id_fkey")).as("rows in partitions count").isEqualTo(1);

        CheckResult verdict = ReferentialIntegrity.verdict(keys);
        assertThat(verdict.failure()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(verdict.message()).startsWith("4 of 4 foreign key(s) have orphan rows")
                .contains("public.events.events_account_id_fkey: public.events (account_id) → public.accounts (id): 1 orphan row");
    }
}
