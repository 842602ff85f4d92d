package io.pgrelocate.jobs.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.LedgerStore;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.switchover.FenceRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true)
class JobClusterTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    KubernetesClient client;
    final List<String> out = new ArrayList<>();

    @Test
    void validationIsRecordedInTheMigrationsLedger() {
        LedgerStore store = new LedgerStore(client, client.getNamespace(), "m1");
        store.write(l -> l.moveTo(Ledger.State.COMPLETED, NOW.minusSeconds(60)));

        JobCluster.recordValidation(settings(Map.of("PGRELOCATE_MIGRATION", "m1")), () -> client, true, "passed", out::add, CLOCK);

        Ledger.Validation v = store.read().orElseThrow().validation();
        assertThat(v.passed()).isTrue();
        assertThat(v.at()).isEqualTo(NOW);
        assertThat(out).containsExactly("validation: result (passed) recorded in ConfigMap " + client.getNamespace() + "/pgrelocate-ledger-m1");
    }

    @Test
    void validationKnowsFromTheLedgerThatTheApplicationsWereSwitchedToTheTarget() {
        JobSettings m1 = settings(Map.of("PGRELOCATE_MIGRATION", "m1"));
        LedgerStore store = new LedgerStore(client, client.getNamespace(), "m1");
        assertThat(JobCluster.switched(m1, () -> client)).as("no ledger").isFalse();
        assertThat(JobCluster.switched(settings(Map.of()), () -> {
            throw new AssertionError("no cluster access expected");
        })).as("outside a migration").isFalse();

        store.write(l -> l.fence(new FenceRecord("app", NOW, "postgres", List.of(), null, null, null))
                .moveTo(Ledger.State.COMPLETED, NOW));
        assertThat(JobCluster.switched(m1, () -> client)).as("fenced source, completed").isTrue();

        store.write(l -> l.moveTo(Ledger.State.ROLLED_BACK, NOW.plusSeconds(60)));
        assertThat(JobCluster.switched(m1, () -> client)).as("rolled back").isFalse();
    }

    @Test
    void withoutALedgerNothingIsCreated() {
        JobCluster.recordValidation(settings(Map.of("PGRELOCATE_MIGRATION", "m1")), () -> client, true, "passed", out::add, CLOCK);

        assertThat(client.configMaps().list().getItems()).isEmpty();
        assertThat(out).containsExactly("validation: no ledger pgrelocate-ledger-m1 (the migration job writes it), so the result is not recorded");
    }

    @Test
    void aCopyOutsideAMigrationTouchesNoApplication() {
        Applications d = JobCluster.downtime(settings(Map.of()), () -> {
            throw new AssertionError("no cluster access expected");
        }, out::add, CLOCK);

        assertThat(d).isSameAs(Applications.NONE);
        assertThat(out).singleElement().asString().startsWith("no PGRELOCATE_MIGRATION and no PGRELOCATE_WORKLOADS");
    }

    @Test
    void workloadsWithoutAMigrationNameAreABadSetting() {
        assertThatThrownBy(() -> JobCluster.downtime(settings(Map.of("PGRELOCATE_WORKLOADS", "deployment/web")), () -> client, out::add, CLOCK))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("PGRELOCATE_MIGRATION is not set");
    }

    @Test
    void cutoverHostsWithoutWorkloadsAreABadSetting() {
        assertThatThrownBy(() -> JobCluster.downtime(settings(Map.of("PGRELOCATE_MIGRATION", "m1", "PGRELOCATE_CUTOVER_HOSTS", "acid-main=main-rw")),
                () -> client, out::add, CLOCK))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("PGRELOCATE_CUTOVER_HOSTS is set but PGRELOCATE_WORKLOADS is not");
    }

    @Test
    void cutoverHostsMakeTheWindowSwitchToTheTarget() {
        Applications d = JobCluster.downtime(settings(Map.of("PGRELOCATE_MIGRATION", "m1", "PGRELOCATE_WORKLOADS", "deployment/web",
                "PGRELOCATE_CUTOVER_HOSTS", "acid-main=main-rw,acid-main-repl=main-ro")), () -> client, out::add, CLOCK);

        assertThat(d.switchesToTarget()).isTrue();
        assertThat(JobCluster.downtime(settings(Map.of("PGRELOCATE_MIGRATION", "m1", "PGRELOCATE_WORKLOADS", "deployment/web")),
                () -> client, out::add, CLOCK).switchesToTarget()).isFalse();
    }

    static JobSettings settings(Map<String, String> env) {
        return JobSettingsAdapterTest.settings(env);
    }
}
