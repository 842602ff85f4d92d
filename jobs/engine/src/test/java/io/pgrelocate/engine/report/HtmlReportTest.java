package io.pgrelocate.engine.report;

import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTML report of real runs, loaded in headless Chromium where it is installed. */
class HtmlReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static MigrationReport migrated;
    private static MigrationReport damaged;

    @TempDir
    Path dir;

    @BeforeAll
    static void runs() {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "html_src");
        String dst = TestServers.freshDatabase(pg, "html_dst");
        pg.executeSql(src, "CREATE TABLE accounts(id int PRIMARY KEY, name text); "
                + "INSERT INTO accounts SELECT g, '<b>user ' || g || '</b>' FROM generate_series(1, 50) g");
        migrated = TestServers.migrate(TestServers.spec(pg, src), TestServers.spec(pg, dst), false);
        assertThat(migrated.exitCode()).isZero();
        pg.executeSql(dst, "DELETE FROM accounts WHERE id = 7");
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(TestServers.workDir(), false), false);
        damaged = new Migration(settings, line -> { }, Clock.systemUTC()).verify();
        assertThat(damaged.exitCode()).isEqualTo(12);
    }

    @Test
    void aMigrationShowsItsResultPreflightCopyAndProof() {
        String html = HtmlReport.render(migrated);
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script", "http://", "https://")
                .contains("SUCCESS (exit 0)", "Preflight", "Copy", "no differences", migrated.source());
    }

    @Test
    void theSwitchoverWindowIsOnTheTimelineWithWritesRefused() {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "html_win_src");
        String dst = TestServers.freshDatabase(pg, "html_win_dst");
        pg.executeSql(src, "CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)");
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(TestServers.workDir(), false), false);
        MigrationReport r = new Migration(settings, line -> { }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
        assertThat(r.exitCode()).isZero();

        String html = HtmlReport.render(r);
        assertThat(html).contains("<h2>Timeline</h2>", "<tr class=\"window\"><th>fence (writes refused)</th>",
                "<tr class=\"window\"><th>final sync (writes refused)</th>", "<th>freeze (applications)</th>");
        try (io.pgrelocate.engine.postgres.Db db = io.pgrelocate.engine.postgres.Db.connect(TestServers.spec(pg, src))) {
            new io.pgrelocate.engine.switchover.Fence(line -> { }, Clock.systemUTC()).lift(db); // the source stays fenced after a switch
        }
    }

    @Test
    void everyDifferenceIsListedAndTextIsEscaped() {
        String html = HtmlReport.render(damaged);
        assertThat(html).contains("1 difference(s)", "public.accounts", "50 rows", "49 rows", "FAILED");
        assertThat(HtmlReport.render(new MigrationReport("verify", "a@h:1/db", "b@h:1/db", null, null, null, null, null, null, null,
                null, "FAILED", 1, "bad <input> & \"quotes\""))).contains("bad &lt;input&gt; &amp; &quot;quotes&quot;")
                .doesNotContain("<input>");
    }

    @Test
    void chromiumRendersItWithoutErrors() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("HtmlReportTest: SKIPPED the browser check: " + CHROMIUM + " is not installed (apt-get install chromium)");
            Assumptions.abort(CHROMIUM + " is not installed");
        }
        Path file = dir.resolve("report.html");
        HtmlReport.write(damaged, file);
        Process p = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0", "--dump-dom", file.toUri().toString()))
                .redirectError(dir.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("chromium.log"));
        assertThat(dom).as(log).contains("<h2>Verification</h2>", "1 difference(s)", "public.accounts", "49 rows");
        assertThat(log).doesNotContain("Uncaught", "CONSOLE");
    }
}
