package io.pgrelocate.engine.files;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --work-dir is a parent: each run works in a private directory of its own and removes only that. */
class RunDirectoryTest {
    @Test
    void twoConcurrentRunsOnTheSameParentBothSucceed() throws Exception {
        LocalPostgres pg = TestServers.pg15();
        Path parent = TestServers.workDir();
        Files.writeString(parent.resolve("notes.txt"), "not ours");
        Files.createDirectories(parent.resolve("dump"));  // what an older version left: not ours either
        CompletableFuture<MigrationReport> a = CompletableFuture.supplyAsync(() -> migrate(pg, parent, "wd_a"));
        CompletableFuture<MigrationReport> b = CompletableFuture.supplyAsync(() -> migrate(pg, parent, "wd_b"));

        assertThat(a.get().exitCode()).as(a.get().error()).isZero();
        assertThat(b.get().exitCode()).as(b.get().error()).isZero();
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", "dump");
        }
    }

    @Test
    void theRunDirectoryIsPrivateAndLocked() throws Exception {
        Path parent = TestServers.workDir();
        try (RunDirectory run = RunDirectory.create(parent)) {
            assertThat(run.path().getParent()).isEqualTo(parent);
            assertThat(run.path().getFileName().toString()).startsWith("pgrelocate-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.path()))).isEqualTo("rwx------");
            assertThat(Files.exists(run.path().resolve(".lock"))).isTrue();
        }
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aWorldWritableParentWithoutStickyBitIsRefusedBeforeTheCopy() throws Exception {
        Path parent = TestServers.workDir();
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> RunDirectory.create(parent)).isInstanceOf(EngineException.class)
                .hasMessageContaining("writable by every user and has no sticky bit")
                .satisfies(e -> assertThat(((EngineException) e).exitCode()).isEqualTo(ExitCode.BAD_SETTINGS));

        LocalPostgres pg = TestServers.pg15();
        MigrationReport r = migrate(pg, parent, "wd_ww");
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.copy()).isNull();
        assertThat(r.error()).contains("work directory " + parent, "--work-dir");
    }

    @Test
    void aParentOwnedByAnotherUserIsRefused() throws Exception {
        Path parent = TestServers.workDir();
        UserPrincipal postgres = parent.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(parent, postgres);  // the tests run as root, as the build here does
        assertThatThrownBy(() -> RunDirectory.create(parent)).isInstanceOf(EngineException.class)
                .hasMessageContaining("belongs to another user");
    }

    @Test
    void stickyWorldWritableParentsLikeTmpAreFine() {
        try (RunDirectory run = RunDirectory.create(Path.of("/tmp"))) {
            assertThat(run.path()).exists();
        }
    }

    private static MigrationReport migrate(LocalPostgres pg, Path parent, String prefix) {
        String src = TestServers.freshDatabase(pg, prefix + "_src");
        String dst = TestServers.freshDatabase(pg, prefix + "_dst");
        pg.executeSql(src, "CREATE TABLE t(id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g");
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(parent, false), false);
        return new Migration(settings, line -> { }, Clock.systemUTC()).migrate(false);
    }
}
