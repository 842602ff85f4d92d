package io.pgrelocate.jobs.backuptest;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** A trial dump of a real source: sized, timed, removed afterwards; bad credentials end it early. */
class BackupTestTest {
    @Test
    void dumpsTheSourceReportsItsSizeAndRemovesIt() {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "bt_src");
        pg.executeSql(db, "CREATE TABLE t(id int, pad text); INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
        Path work = TestServers.workDir();

        BackupTestReport r = new BackupTest(TestServers.spec(pg, db), TestServers.copyOptions(work, false), line -> { },
                Clock.systemUTC()).run();

        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.dumpBytes()).isGreaterThan(20000L * 200);
        assertThat(Files.exists(work.resolve(BackupTest.DIR_NAME))).isFalse();
        assertThat(r.json()).doesNotContain(TestServers.PASSWORD);
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "bt_pw");
        BackupTestReport r = new BackupTest(TestServers.spec(pg, db).withPassword(Secret.of("wrong")),
                TestServers.copyOptions(TestServers.workDir(), false), line -> { }, Clock.systemUTC()).run();
        assertThat(r.exitCode()).isEqualTo(ExitCode.AUTHENTICATION.code());
        assertThat(r.error()).contains("password authentication failed");
    }
}
