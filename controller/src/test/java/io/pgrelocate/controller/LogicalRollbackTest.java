package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** A logical migration killed midway leaves its slot, which keeps WAL on the source: rollback drops it. */
class LogicalRollbackTest {
    final LocalPostgres pg = TestServers.pg15Logical();

    @TempDir
    Path dir;

    @Test
    void aLocalRollbackDropsTheSlotAndPublicationAKilledRunLeftAndNamesOthers() throws IOException {
        String source = TestServers.freshDatabase(pg, "lrb_src");
        String other = TestServers.freshDatabase(pg, "lrb_other");
        // what a run killed during the catch-up leaves on the source (its subscription lives on the target)
        pg.executeSql(source, "CREATE TABLE t(id int PRIMARY KEY); CREATE PUBLICATION pgrelocate_local FOR ALL TABLES");
        pg.executeSql(source, "SELECT pg_create_logical_replication_slot('pgrelocate_local', 'pgoutput')");
        pg.executeSql(other, "SELECT pg_create_logical_replication_slot('pgrelocate_other_" + other + "', 'pgoutput')");
        Path password = Files.writeString(Files.createFile(dir.resolve("pw"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), TestServers.PASSWORD);
        Cli cli = Cli.local();

        assertThat(cli.run("rollback", "--source", pg.uri(source), "--source-password-file", password.toString())).as(cli.err()).isZero();

        assertThat(cli.out()).contains("teardown: dropped replication slot pgrelocate_local", "teardown: dropped publication pgrelocate_local",
                "rollback: note: another pgrelocate slot on the source: ").contains("pgrelocate_other_" + other);
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            long slots = db.one("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pgrelocate_local'", rs -> rs.getLong(1));
            long publications = db.one("SELECT count(*) FROM pg_publication", rs -> rs.getLong(1));
            assertThat(slots).isZero();
            assertThat(publications).isZero();
        }
        pg.executeSql(other, "SELECT pg_drop_replication_slot('pgrelocate_other_" + other + "')");
    }
}
