package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI as a user types it: exit codes, one-line errors, help that teaches, and the demo end to end. */
class CliTest {
    private final Cli cli = Cli.local();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void refusesAPasswordOnTheCommandLine() {
        int code = run("preflight", "--source", "postgresql://app:hunter2@db/app", "--target", "postgresql://app@db2/app");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: --source holds a password").contains("PGRELOCATE_SOURCE_URI")
                .doesNotContain("hunter2");
    }

    @Test
    void missingTargetIsAUsageError() {
        int code = run("migrate", "--source", "postgresql://app@db/app");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("error: --target is required (or set $PGRELOCATE_TARGET_URI)");
    }

    @Test
    void helpListsExitCodesAndCommands() {
        assertThat(run("--help")).isZero();
        assertThat(cli.out()).contains("preflight", "migrate", "verify", "demo", "verification found differences", "not enough free space for the dump");
        cli.clear();
        assertThat(run("migrate", "--help")).isZero();
        assertThat(cli.out()).contains("--dry-run", "keep-ownership", "--role-passwords", "--exclude", "PGRELOCATE_SOURCE_PASSWORD");
    }

    @Test
    void dryRunChecksButCopiesNothing() {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "cli_src");
        String dst = TestServers.freshDatabase(pg, "cli_dst");
        pg.executeSql(src, "CREATE TABLE t(id int); INSERT INTO t SELECT generate_series(1, 10)");
        int code = run("migrate", "--dry-run", "--strategy", "dump", "--source", pg.uri(src), "--target", pg.uri(dst),
                "--source-password-file", passwordFile().toString(), "--target-password-file", passwordFile().toString());
        assertThat(code).as(cli.out()).isZero();
        assertThat(cli.out()).contains("dry run: preflight passed; nothing was copied", "result  SUCCESS",
                "dry run: would copy 1 table, 0 large objects", "dry run: largest tables: public.t ",
                "dry run: would run: ", "pg_dump --format=directory --jobs=2", "pg_restore --dbname=" + dst);
        assertThat(pg.uri(dst)).doesNotContain(TestServers.PASSWORD);
        code = run("verify", "--source", pg.uri(src), "--target", pg.uri(dst), "--json",
                "--source-password-file", passwordFile().toString(), "--target-password-file", passwordFile().toString());
        assertThat(code).isEqualTo(12);
        assertThat(cli.out()).contains("\"object\" : \"public.t\"").doesNotContain(TestServers.PASSWORD);
    }

    @Test
    void demoMigratesVerifiesAndCatchesDamage() {
        int code = run("demo");
        assertThat(code).as(cli.out()).isZero();
        assertThat(cli.out())
                .contains("no differences: row counts, content digests", "result  SUCCESS")
                .contains("caught: table public.follows: source 30000 rows, target 29999 rows");
    }

    private static java.nio.file.Path passwordFile() {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("pw", "");
            java.nio.file.Files.writeString(f, TestServers.PASSWORD + "\n");
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
