package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** Mistakes in what the user named are caught before anything is written. */
class StrictPreflightTest {
    private static MigrationReport migrate(ConnectionSpec source, ConnectionSpec target) {
        MigrationSettings settings = new MigrationSettings(source, target, TestServers.copyOptions(TestServers.workDir(), false), false);
        return new Migration(settings, line -> { }, Clock.systemUTC()).migrate(false);
    }

    @Test
    void aMissingPasswordSaysSoWithExit4() {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "nopw_src");
        String dst = TestServers.freshDatabase(pg, "nopw_dst");
        MigrationReport r = migrate(ConnectionSpec.parse(pg.uri(src)), TestServers.spec(pg, dst));
        assertThat(r.exitCode()).as(r.error()).isEqualTo(ExitCode.AUTHENTICATION.code());
        assertThat(r.error()).contains("asks for a password and none was found", "PGPASSWORD", "~/.pgpass")
                .doesNotContain("check host, port");
    }

    @Test
    void theSameDatabaseAsSourceAndTargetIsRefused() {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "same");
        pg.executeSql(db, "CREATE TABLE t(id int)");
        // the same database under another name for the same server
        ConnectionSpec other = TestServers.spec(pg, db);
        ConnectionSpec viaLocalhost = new ConnectionSpec("localhost", other.port(), db, other.user(), other.password(),
                other.sslMode(), null);
        MigrationReport r = migrate(other, viaLocalhost);
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.error()).contains("are the same database");
        assertThat(r.copy()).isNull();
    }

    @Test
    void countsReadAsPeopleWriteThem() {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "one_src");
        String dst = TestServers.freshDatabase(pg, "one_dst");
        pg.executeSql(src, "CREATE TABLE t(id int); INSERT INTO t VALUES (1)");
        MigrationReport r = migrate(TestServers.spec(pg, src), TestServers.spec(pg, dst));
        assertThat(r.exitCode()).as(r.error()).isZero();
        String summary = io.pgrelocate.engine.report.Summary.of(r);
        assertThat(summary).contains("1 table, 1 row, 0 sequences, 0 large objects", "1 table,").doesNotContain("1 tables");
        assertThat(r.preflight().get(0).line()).contains("1 table, 0 large objects");
    }
}
