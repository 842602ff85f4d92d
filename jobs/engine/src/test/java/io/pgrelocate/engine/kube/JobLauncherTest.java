package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.TemplateFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient(crud = true, https = false)
class JobLauncherTest {
    static final String NS = "pgrelocate";
    static final String KUBECTL_TIMEOUT = "20s";
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void theJobIsTheOneKubectlCreatesFromTheTemplate(@TempDir Path cache) throws Exception {
        CronJob template = client.batch().v1().cronjobs().inNamespace(NS).resource(TemplateFixture.migration(NS)).create();
        serveDiscoveryForKubectl();

        Path kubeconfig = MockKubeconfig.write(server, NS);
        // kubectl POSTs built-in types as protobuf, which the mock server cannot read; so kubectl
        // builds the Job (--dry-run=client prints the very object it would POST) and a second
        // kubectl creates it from JSON, as a user piping one into the other would.
        String built = kubectl(kubeconfig, cache, null, "create", "job", "by-hand", "--from=cronjob/pgrelocate-migration",
                "-n", NS, "--dry-run=client", "-o", "json");
        // --validate=false: the mock server has no OpenAPI document for kubectl to validate against
        assertThat(kubectl(kubeconfig, cache, built, "create", "--validate=false", "-f", "-").strip()).isEqualTo("job.batch/by-hand created");

        Job byHand = client.batch().v1().jobs().inNamespace(NS).withName("by-hand").get();
        Job ours = JobLauncher.fromCronJob(template, "by-hand");

        assertThat(ours.getMetadata().getNamespace()).isEqualTo(byHand.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(ours.getMetadata().getLabels()).isEqualTo(byHand.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "migration");
        assertThat(ours.getMetadata().getAnnotations()).isEqualTo(byHand.getMetadata().getAnnotations())
                .containsEntry("cronjob.kubernetes.io/instantiate", "manual").containsEntry("pgrelocate.io/runbook", "step 5");
        assertThat(ours.getMetadata().getOwnerReferences()).hasSize(1);
        var owner = ours.getMetadata().getOwnerReferences().get(0);
        var kubectlOwner = byHand.getMetadata().getOwnerReferences().get(0);
        assertThat(owner).isEqualTo(kubectlOwner);
        assertThat(owner.getUid()).isEqualTo(template.getMetadata().getUid()).isNotBlank();
        assertThat(owner.getApiVersion() + " " + owner.getKind() + " " + owner.getName()).isEqualTo("batch/v1 CronJob pgrelocate-migration");
        // kubectl 1.32 sets controller (older kubectl did not); blockOwnerDeletion would need RBAC on cronjobs/finalizers
        assertThat(owner.getController()).isTrue();
        assertThat(owner.getBlockOwnerDeletion()).isNull();
        assertThat(Serialization.asYaml(ours.getSpec())).isEqualTo(Serialization.asYaml(withoutEmptyResources(byHand.getSpec())));
    }

    @Test
    void missingSecretsAndKeysAreNamedOnceAndOptionalOnesIgnored() {
        var pod = new PodSpecBuilder(TemplateFixture.migration(NS).getSpec().getJobTemplate().getSpec().getTemplate().getSpec())
                .editFirstContainer()
                .addNewEnv().withName("PGRELOCATE_EXTRA").withNewValueFrom().withNewSecretKeyRef("token", "pgrelocate-extra", true)
                .endValueFrom().endEnv()
                .endContainer()
                .addNewVolume().withName("ca").withNewSecret().withSecretName("pgrelocate-source").endSecret().endVolume()
                .build();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("pgrelocate-settings").endMetadata()
                .addToData("PGRELOCATE_MIGRATION", "demo").build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("pgrelocate-target").endMetadata()
                .addToData("username", "YXBw").build()).create();
        JobLauncher launcher = new JobLauncher(client, NS);

        assertThat(launcher.missingReferences(pod)).containsExactly(
                "Secret pgrelocate/pgrelocate-source does not exist",
                "Secret pgrelocate/pgrelocate-target has no key 'password'");

        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("pgrelocate-source").endMetadata()
                .addToStringData("password", "s3cret").build()).create();
        client.secrets().inNamespace(NS).withName("pgrelocate-target").edit(s -> new SecretBuilder(s).addToData("password", "czNjcmV0").build());
        assertThat(launcher.missingReferences(pod)).isEmpty();
    }

    @Test
    void latestIsTheNewestJobOfThatTemplateOnly() {
        CronJob migration = client.batch().v1().cronjobs().inNamespace(NS).resource(TemplateFixture.migration(NS)).create();
        JobLauncher launcher = new JobLauncher(client, NS);
        assertThat(launcher.latest("migration")).isEmpty();

        launcher.create(JobLauncher.fromCronJob(migration, "pgrelocate-migration-20250101-090000"));
        launcher.create(JobLauncher.fromCronJob(migration, "pgrelocate-migration-20250101-100000"));
        CronJob other = new CronJobBuilder(migration).editMetadata().withName("pgrelocate-validation").endMetadata().build();
        launcher.create(JobLauncher.fromCronJob(other, "pgrelocate-validation-20250102-000000"));

        assertThat(launcher.latest("migration")).map(j -> j.getMetadata().getName()).hasValue("pgrelocate-migration-20250101-100000");
        assertThat(launcher.latest("pgrelocate-validation")).map(j -> j.getMetadata().getName()).hasValue("pgrelocate-validation-20250102-000000");
    }

    /** Go writes an empty ResourceRequirements as {} (the field has no omitempty); to the API server it is the same as none. */
    private static JobSpec withoutEmptyResources(JobSpec spec) {
        JobSpec copy = new JobSpecBuilder(spec).build();
        copy.getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getResources() != null && new ResourceRequirements().equals(c.getResources()))
                .forEach(c -> c.setResources(null));
        return copy;
    }

    private static String kubectl(Path kubeconfig, Path cache, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cache.toString(), "--request-timeout=" + KUBECTL_TIMEOUT));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
        return output;
    }

    /** kubectl finds the resource type through discovery; the CRUD mock answers /apis with stored objects, not API groups. */
    private void serveDiscoveryForKubectl() {
        var groups = new APIGroupListBuilder().addNewGroup().withName("batch")
                .addNewVersion().withGroupVersion("batch/v1").withVersion("v1").endVersion()
                .withNewPreferredVersion().withGroupVersion("batch/v1").withVersion("v1").endPreferredVersion().endGroup().build();
        var batch = new APIResourceListBuilder().withGroupVersion("batch/v1")
                .addNewResource().withName("cronjobs").withKind("CronJob").withNamespaced(true).withVerbs("get", "list", "create").endResource()
                .addNewResource().withName("jobs").withKind("Job").withNamespaced(true).withVerbs("get", "list", "create").endResource().build();
        // expectations match the path with its query, which carries kubectl's --request-timeout
        server.expect().get().withPath("/apis?timeout=" + KUBECTL_TIMEOUT).andReturn(200, groups).always();
        server.expect().get().withPath("/apis/batch/v1?timeout=" + KUBECTL_TIMEOUT).andReturn(200, batch).always();
    }
}
