package io.pgrelocate.jobs.migration;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.pgrelocate.engine.settings.SettingsException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migration Job's phases against real servers: a replicate Job ends with the replication
 * streaming; a switch Job (here with no applications, as in local mode) continues it to a live
 * target; an abort Job leaves nothing of it on either server. A wrong phase is a settings error.
 */
class PhaseJobTest {
    final LocalPostgres pg = TestServers.pg15Logical();

    @Test
    void aReplicateJobThenASwitchJobMoveTheDatabase() throws Exception {
        String source = TestServers.freshDatabase(pg, "pj_src");
        String target = TestServers.freshDatabase(pg, "pj_dst");
        pg.executeSql(source, "CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 500)");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThat(job(source, target, "replicate", log)).as(log.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isOne();
        pg.executeSql(source, "INSERT INTO t SELECT generate_series(501, 600)");
        log.reset();
        assertThat(job(source, target, "switch", log)).as(log.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains(SwitchoverWindow.TARGET_LIVE, "continues the replicate run of");
        assertThat(count(target, "SELECT count(*) FROM t")).isEqualTo(600);
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
    }

    @Test
    void anAbortJobLeavesNothingOfAReplicateJob() throws Exception {
        String source = TestServers.freshDatabase(pg, "pa_src");
        String target = TestServers.freshDatabase(pg, "pa_dst");
        pg.executeSql(source, "CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThat(job(source, target, "replicate", log)).as(log.toString(StandardCharsets.UTF_8)).isZero();
        log.reset();
        assertThat(job(source, target, "abort", log)).as(log.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgrelocate'")).isZero();
    }

    @Test
    void anUnknownPhaseIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Phase.parse("swap")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("migrate, replicate, switch, abort");
    }

    /** The migration Job's main without Quarkus, its settings from the env it would have. */
    private int job(String source, String target, String phase, ByteArrayOutputStream log) throws Exception {
        Path work = Files.createTempDirectory("pgrelocate-phase-");
        Map<String, String> env = new HashMap<>();
        env.put("PGRELOCATE_SOURCE_URI", pg.uri(source));
        env.put("PGRELOCATE_TARGET_URI", pg.uri(target));
        env.put("PGRELOCATE_MIGRATION", source.replace('_', '-'));
        env.put("PGRELOCATE_PHASE", phase);
        env.put("PGRELOCATE_WORK_DIR", work.toString());
        env.put("PGRELOCATE_SOURCE_PASSWORD", TestServers.PASSWORD);
        env.put("PGRELOCATE_TARGET_PASSWORD", TestServers.PASSWORD);
        JobSettings settings = new SmallRyeConfigBuilder().withMapping(JobSettings.class).withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, v -> Duration.parse("PT" + v.toUpperCase())).build()
                .getConfigMapping(JobSettings.class);
        JobRun run = new JobRun(new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC());
        return run.migration(settings, new JobSettingsAdapter(new PasswordSource(Map.of("PGPASSFILE", work.resolve("none").toString()))),
                m -> Phase.parse(settings.phase()).run(m, false, Applications::switchWithoutApplications));
    }

    private long count(String db, String sql) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
