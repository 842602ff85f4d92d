package io.pgrelocate.controller;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user mistypes in a connection string ends in one line and exit 2, never a stack trace. */
class StrictInputCliTest {
    private final Cli cli = Cli.local();

    @Test
    void malformedUrisAndTyposAreOneLine() {
        for (String bad : new String[] {"postgresql://app@[::1/shop", "postgresql://app@db/sh%zzop", "postgresql://app@db/app?sslmod=require",
                "host=/var/run/postgresql dbname=app user=app"}) {
            cli.clear();
            int code = cli.run("preflight", "--source", bad, "--target", "postgresql://app@db2/app");
            assertThat(code).as(bad + ": " + cli.err()).isEqualTo(2);
            assertThat(cli.err().strip()).as(bad).startsWith("error: ").doesNotContain("\n", "Exception", "\tat ");
        }
        assertThat(cli.err()).contains("unix-domain socket");
    }

    @Test
    void anUnwritableReportPathIsRefusedBeforeTheCopy() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("report-");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "");
        for (java.nio.file.Path bad : new java.nio.file.Path[] {dir, file.resolve("report.json")}) {
            cli.clear();
            int code = cli.run("migrate", "--report", bad.toString(), "--source", "postgresql://app@db/app", "--target", "postgresql://app@db2/app");
            assertThat(code).as(cli.err()).isEqualTo(2);
            assertThat(cli.err()).contains("report " + bad).doesNotContain("preflight:");
            assertThat(cli.out()).doesNotContain("preflight:");
        }
    }
}
