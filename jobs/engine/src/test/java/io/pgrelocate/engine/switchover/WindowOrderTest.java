package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.FencedSource;
import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.verify.VerifyMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The window's order of calls, driven with a fake strategy and fake applications against a real
 * source (the fence is SQL on it): the order on success, and for a failure at every step before the
 * target is live exactly the undo (abort the copy, lift the fence when it stood, the applications
 * back on the source) and nothing else; after it, no undo and the fence kept.
 */
class WindowOrderTest {
    static final String PW = "order-Pa55";
    static final List<String> SWITCH = List.of("copy.beforeWindow", "apps.freeze", "apps.fence(raised)", "copy.inWindow", "verify",
            "apps.cutOver", "apps' logins", "copy.finish", "apps.thaw");

    final LocalPostgres pg = TestServers.pg15();
    final List<String> calls = new CopyOnWriteArrayList<>();
    String app;
    String source;
    String target;

    @BeforeEach
    void databases() {
        app = TestServers.loginRole(pg, "order_app", PW);
        source = TestServers.freshDatabase(pg, "order_src");
        target = TestServers.freshDatabase(pg, "order_dst");
        pg.executeSql(source, "CREATE TABLE writes(id bigserial PRIMARY KEY); ALTER TABLE writes OWNER TO " + app);
    }

    @Test
    void aSwitchCallsEveryPartOnceInTheRunbooksOrder() throws SQLException {
        SwitchoverWindow.Outcome o = window(null, true).run(verification(null));

        assertThat(o.code()).as(o.error()).isEqualTo(ExitCode.OK);
        assertThat(calls).containsExactlyElementsOf(SWITCH);
        assertThat(o.copy().strategy()).isEqualTo("fake");
        assertThatThrownBy(() -> writeAsApp()).as("the fence stays after the switch").hasMessageContaining("permission denied");
    }

    @Test
    void withoutASwitchTheFenceIsLiftedAndTheMarkerRecordedBeforeTheThawOnTheSource() throws SQLException {
        SwitchoverWindow.Outcome o = window(null, false).run(verification(null));

        assertThat(o.code()).as(o.error()).isEqualTo(ExitCode.OK);
        assertThat(calls).containsExactly("copy.beforeWindow", "apps.freeze", "apps.fence(raised)", "copy.inWindow", "verify",
                "apps.verifiedCopy", "apps.fence(lifted)", "copy.finish", "apps.thaw");
        writeAsApp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"copy.beforeWindow", "apps.freeze", "apps.fence(raised)", "copy.inWindow", "verify", "apps.cutOver", "apps' logins"})
    void aFailureBeforeTheTargetIsLiveAbortsTheCopyLiftsTheFenceAndBringsTheApplicationsBackOnTheSource(String failing)
            throws SQLException {
        SwitchoverWindow.Outcome o = window(failing, true).run(verification(failing));

        assertThat(o.code()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(o.error()).startsWith("injected at " + failing);
        List<String> expected = new ArrayList<>(SWITCH.subList(0, SWITCH.indexOf(failing) + 1));
        expected.add("copy.abort");
        if (expected.contains("apps.fence(raised)")) {
            expected.add("apps.fence(lifted)");
        }
        expected.add("apps.undo");
        assertThat(calls).containsExactlyElementsOf(expected);
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            assertThat(Fence.read(db)).as("no fence left on the source").isEmpty();
        }
        writeAsApp();
    }

    @Test
    void aFailureAfterTheTargetIsLiveKeepsTheFenceAndUndoesNothing() {
        SwitchoverWindow.Outcome o = window("apps.thaw", true).run(verification(null));

        assertThat(o.code()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(o.error()).contains("the target is live and the source stays fenced");
        assertThat(calls).containsExactlyElementsOf(SWITCH);
        assertThatThrownBy(() -> writeAsApp()).as("no split brain").hasMessageContaining("permission denied");
    }

    @Test
    void withoutAWindowTheCopyRunsTheSameCallsAndIsAbortedWhenOneFails() {
        new FakeCopy(null).withoutWindow();
        assertThat(calls).containsExactly("copy.beforeWindow", "copy.inWindow", "copy.finish");

        calls.clear();
        assertThatThrownBy(() -> new FakeCopy("copy.inWindow").withoutWindow()).hasMessage("injected at copy.inWindow");
        assertThat(calls).containsExactly("copy.beforeWindow", "copy.inWindow", "copy.abort");
    }

    private SwitchoverWindow window(String failing, boolean switches) {
        return new SwitchoverWindow(TestServers.spec(pg, source), TestServers.spec(pg, target), VerifyMode.BEFORE_THAW, ObjectFilter.NONE,
                new FakeApplications(failing, switches), new FakeCopy(failing), line -> { }, Clock.systemUTC());
    }

    private SwitchoverWindow.Verification verification(String failing) {
        return new SwitchoverWindow.Verification() {
            @Override
            public void beforeThaw(VerifyMode mode) {
                step("verify", failing);
            }

            @Override
            public void afterThaw(String sourceSnapshot, String targetSnapshot) {
                step("verify after the thaw", failing);
            }

            @Override
            public void afterCutover() {
                step("apps' logins", failing);
            }
        };
    }

    /** Records the call, then fails when it is the step under test. */
    private void step(String name, String failing) {
        calls.add(name);
        if (name.equals(failing)) {
            throw new EngineException(ExitCode.CHECK_FAILED, "injected at " + name);
        }
    }

    private void writeAsApp() throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW); Statement st = c.createStatement()) {
            st.execute("INSERT INTO writes DEFAULT VALUES");
        }
    }

    private final class FakeCopy implements WindowCopy {
        private final String failing;

        FakeCopy(String failing) {
            this.failing = failing;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public void beforeWindow() {
            step("copy.beforeWindow", failing);
        }

        @Override
        public CopyResult inWindow(FencedSource fenced) {
            if (fenced != null) {
                assertThat(fenced.finalLsn()).as("the switch point").isNotBlank();
            }
            step("copy.inWindow", failing);
            return new CopyResult(name(), 1, List.of(new CopyResult.Phase("all", Duration.ZERO)), 0, List.of(), List.of());
        }

        @Override
        public void finish() {
            step("copy.finish", failing);
        }

        @Override
        public void abort() {
            calls.add("copy.abort");
        }
    }

    private final class FakeApplications implements Applications {
        private final String failing;
        private final boolean switches;

        FakeApplications(String failing, boolean switches) {
            this.failing = failing;
            this.switches = switches;
        }

        @Override
        public List<String> check() {
            return List.of();
        }

        @Override
        public boolean switchesToTarget() {
            return switches;
        }

        @Override
        public void freeze() {
            step("apps.freeze", failing);
        }

        @Override
        public void cutOver() {
            step("apps.cutOver", failing);
        }

        @Override
        public void thaw() {
            step("apps.thaw", failing);
        }

        @Override
        public void undo() {
            calls.add("apps.undo");
        }

        @Override
        public void fence(FenceRecord record) {
            step(record == null ? "apps.fence(lifted)" : "apps.fence(raised)", failing);
        }

        @Override
        public void verifiedCopy(SourceMarker marker) {
            calls.add("apps.verifiedCopy");
        }

        @Override
        public ApplicationsReport report() {
            return null;
        }
    }
}
