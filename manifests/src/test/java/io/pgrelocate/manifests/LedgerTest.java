package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The Roles name the replica ledger of the rendered migration. kustomize replacements run before
 * an overlay's configMapGenerator merge, so an overlay that forgets to repeat the replacement
 * renders the base's ledger name: this is the test that notices.
 */
@ExtendWith(NameTheDirOnFailure.class)
class LedgerTest {

    private static final List<String> ROLES_WITH_LEDGER = List.of("migration", "validation", "cleanup");

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void everyRoleNamesOnlyThisMigrationsLedger(Path dir) {
        Render render = Render.of(dir);
        String ledger = render.ledgerName();
        assertSoftly(softly -> {
            for (String job : ROLES_WITH_LEDGER) {
                Role role = render.find(Role.class, PgrelocateJobs.objectName(job))
                        .orElseThrow(() -> new AssertionError(render.name() + " renders no Role for " + job));
                softly.assertThat(role.getRules()).as(job + " ledger rule")
                        .anyMatch(rule -> rule.getResources().contains("configmaps") && !rule.getResourceNames().isEmpty());
            }
            render.all(Role.class).stream().flatMap(r -> r.getRules().stream())
                    .filter(rule -> rule.getResources().contains("configmaps"))
                    .map(PolicyRule::getResourceNames).filter(names -> !names.isEmpty())
                    .forEach(names -> softly.assertThat(names).as("configmap resourceNames").containsExactly(ledger));
        });
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void theLedgerItselfIsNotRendered(Path dir) {
        Render render = Render.of(dir);
        // The migration job creates it at run time; a rendered one would be reset by every GitOps sync.
        assertThat(render.find(ConfigMap.class, render.ledgerName())).isEmpty();
    }

    @Test
    void defaultMigrationNameIsOneSegment() {
        // Overlays replace segment 2 of the base's rendered "pgrelocate-ledger-<name>" split at '-':
        // a default with a dash would leave its tail behind in every overlay's ledger name.
        assertThat(Render.of(ProjectLayout.MANIFESTS).settings().get("PGRELOCATE_MIGRATION")).doesNotContain("-").isNotBlank();
    }
}
