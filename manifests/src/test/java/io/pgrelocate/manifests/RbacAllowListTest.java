package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Least privilege: every rendered RBAC rule stays within {@link RbacAllowList}, and the checker can tell when it does not. */
@ExtendWith(NameTheDirOnFailure.class)
class RbacAllowListTest {

    private static final String MIGRATION = PgrelocateJobs.objectName("migration");

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void noRuleGrantsMoreThanTheAllowList(Path dir) {
        assertThat(RbacChecker.violations(Render.of(dir).objects())).isEmpty();
    }

    @Test
    void everyRowOfTheAllowListIsStillNeeded() {
        assertThat(RbacChecker.unusedGrants(Render.of(ProjectLayout.MANIFESTS).objects()))
                .as("allowed but granted by no Role: remove the row").isEmpty();
    }

    @Test
    void checkerRejectsOneExtraVerb() {
        List<HasMetadata> objects = withMigrationRole(role -> new RoleBuilder(role)
                .editMatchingRule(rule -> rule.getResources().equals(List.of("pods"))).addToVerbs("delete").endRule()
                .build());
        assertThat(RbacChecker.violations(objects))
                .containsExactly("Role pgrelocate-migration grants delete on pods: not in the allow-list");
    }

    @Test
    void checkerRejectsWildcards() {
        List<HasMetadata> objects = withMigrationRole(role -> new RoleBuilder(role)
                .addNewRule().withApiGroups("apps").withResources("*").withVerbs("get").endRule()
                .build());
        assertThat(RbacChecker.violations(objects)).containsExactly("Role pgrelocate-migration grants get on apps/*: wildcard");
    }

    @Test
    void checkerRejectsLedgerAccessWithoutResourceNames() {
        List<HasMetadata> objects = withMigrationRole(role -> new RoleBuilder(role)
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get").endRule()
                .build());
        assertThat(RbacChecker.violations(objects))
                .containsExactly("Role pgrelocate-migration grants get on configmaps: allowed only with resourceNames");
    }

    @Test
    void checkerRejectsClusterRoles() {
        List<HasMetadata> objects = new ArrayList<>(Render.of(ProjectLayout.MANIFESTS).objects());
        objects.add(new ClusterRoleBuilder().withNewMetadata().withName("pgrelocate-migration").endMetadata().build());
        assertThat(RbacChecker.violations(objects))
                .containsExactly("ClusterRole pgrelocate-migration: pgrelocate uses namespaced Roles only");
    }

    /** The manifests' objects with the migration Role changed; the rest must stay clean for the assertion to mean something. */
    private static List<HasMetadata> withMigrationRole(UnaryOperator<Role> change) {
        List<HasMetadata> objects = new ArrayList<>(Render.of(ProjectLayout.MANIFESTS).objects());
        objects.replaceAll(o -> o instanceof Role role && MIGRATION.equals(role.getMetadata().getName()) ? change.apply(role) : o);
        return objects;
    }
}
