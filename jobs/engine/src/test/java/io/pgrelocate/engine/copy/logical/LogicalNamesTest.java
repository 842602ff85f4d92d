package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.settings.ObjectFilter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names are refused with their rule, never mangled into another run's; a run takes and drops only its own objects. */
class LogicalNamesTest {
    private static final String ITEMS = "CREATE TABLE items (id bigint PRIMARY KEY, note text NOT NULL);"
            + " INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g;";

    @Test
    void oddNamesAreRefusedWithTheRuleAndKubernetesNamesMapOneWay() {
        for (String odd : new String[] {"x y", "x'y", "", "X", "-a", "a".repeat(80), "shop.v2"}) {
            assertThatThrownBy(() -> LogicalNames.of(odd)).as(odd).isInstanceOf(EngineException.class)
                    .hasMessageContaining(LogicalNames.RULE)
                    .satisfies(e -> assertThat(((EngineException) e).exitCode()).isEqualTo(ExitCode.BAD_SETTINGS));
        }
        assertThat(LogicalNames.of("shop-to-cnpg").slot()).isEqualTo("pgrelocate_shop_to_cnpg");
        assertThat(LogicalNames.of("a".repeat(52)).slot()).hasSize(63);
    }

    @Test
    void aSecondRunWithTheSameNameIsRefusedAndNeverKillsTheFirst() {
        LogicalPair first = new LogicalPair("nm_one");
        LogicalPair second = new LogicalPair("nm_two");  // another database on the same source server
        String name = "same-" + first.sourceDb.replace('_', '-');
        first.source(ITEMS);
        second.source(ITEMS);
        LogicalStrategy running = first.withDumpRestore(options(name));
        try {
            running.setup(LogicalReplicationTest.tables(first), List.of());

            LogicalStrategy other = second.withDumpRestore(options(name));
            PreflightResult pre = other.preflight();
            assertThat(pre.passed()).isFalse();
            assertThat(pre.firstFailure().map(Check::message).orElseThrow())
                    .contains("replication slot pgrelocate_" + name.replace('-', '_') + " (database " + first.sourceDb, "another run");
            // even past the refusal (two runs racing), its failure and teardown leave the first run's objects alone
            assertThatThrownBy(() -> other.setup(LogicalReplicationTest.tables(second), List.of())).hasMessageContaining("already exists");
            other.close();

            first.source("INSERT INTO items VALUES (1001, 'after the second run')");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> "1".equals(first.targetValue("SELECT count(*) FROM items WHERE id = 1001")));
            assertThat(first.sourceValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pgrelocate_"
                    + name.replace('-', '_') + "'")).isEqualTo("1");
            assertThat(second.sourceValue("SELECT count(*) FROM pg_publication")).isEqualTo("0");

            // '-' and '_' name the same objects: the record on them tells the two runs apart
            PreflightResult twin = first.withDumpRestore(options(name.replace('-', '_'))).preflight();
            assertThat(twin.firstFailure().map(Check::message).orElseThrow())
                    .contains("(" + LogicalNames.RECORD + name + ") in the source database");
        } finally {
            running.close();
        }
        assertThat(first.leftovers()).isEmpty();
    }

    private static LogicalOptions options(String name) {
        return LogicalOptions.defaults(name, ObjectFilter.SPILO_DEFAULT).withReportEvery(Duration.ofMillis(500));
    }
}
