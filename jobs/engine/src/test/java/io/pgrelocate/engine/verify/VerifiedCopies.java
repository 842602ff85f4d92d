package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full-coverage fixture migrated once and verified identical; each test damages its own copy of
 * the target (CREATE DATABASE ... TEMPLATE), so every test starts from the verified state.
 */
final class VerifiedCopies {
    private final LocalPostgres pg;
    private final String sourceDb;
    private final String migratedDb;

    private VerifiedCopies(LocalPostgres pg, String sourceDb, String migratedDb) {
        this.pg = pg;
        this.sourceDb = sourceDb;
        this.migratedDb = migratedDb;
    }

    static VerifiedCopies migrate(String prefix) {
        LocalPostgres pg = TestServers.pg15();
        String source = TestServers.freshDatabase(pg, prefix + "_src");
        String migrated = TestServers.freshDatabase(pg, prefix + "_dst");
        pg.executeSql(source, TestServers.resource("/fixtures/full-coverage.sql"));
        MigrationReport report = TestServers.migrate(TestServers.spec(pg, source), TestServers.spec(pg, migrated), false);
        assertThat(report.verify().differences()).isEmpty();
        return new VerifiedCopies(pg, source, migrated);
    }

    /** Verifies a fresh copy of the migrated target after {@code damage} ran in it. */
    VerifyResult verifyAfter(String damage) {
        String copy = TestServers.freshDatabase(pg, "dmg_copy") + "_t";
        pg.executeSql("postgres", "CREATE DATABASE " + copy + " TEMPLATE " + migratedDb);
        pg.executeSql(copy, damage);
        return new Verifier(ObjectFilter.SPILO_DEFAULT, line -> { }).verify(TestServers.spec(pg, sourceDb), TestServers.spec(pg, copy));
    }
}
