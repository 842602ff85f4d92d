package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dev overlay applied to a real K3s cluster, then {@code pgrelocate run cnpg-prepare} against
 * a PostgreSQL pod in it. The real API server also validates every rendered manifest and the Role
 * rules. The job image is built by Jib ({@code jobs/cnpg-prepare/target/jib-image.tar}); when it has
 * not been built, the cluster cannot pull {@code localhost/pgrelocate/cnpg-prepare:dev}, and the test
 * checks that {@code run} says so and exits 16 instead. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {
    static final String NS = "pgrelocate-dev";
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path IMAGE = ROOT.resolve("jobs/cnpg-prepare/target/jib-image.tar");

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.32.5-k3s1"));

    @Test
    void devOverlayAppliesAndRunStartsCnpgPrepareFromItsTemplate() throws Exception {
        Path kubeconfig = Files.createTempFile("k3s-", ".yaml");
        Files.writeString(kubeconfig, K3S.getKubeConfigYaml());
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            List<HasMetadata> overlay = client.load(new ByteArrayInputStream(render().getBytes(StandardCharsets.UTF_8))).items();
            client.resourceList(overlay).inNamespace(NS).serverSideApply();
            assertThat(client.batch().v1().cronjobs().inNamespace(NS).list().getItems()).hasSize(5)
                    .allMatch(c -> Boolean.TRUE.equals(c.getSpec().getSuspend()));

            startPostgres(client);
            client.configMaps().inNamespace(NS).withName("pgrelocate-settings").edit(cm -> {
                cm.getData().putAll(Map.of(
                        "PGRELOCATE_SOURCE_URI", "postgresql://postgres@db:5432/source?sslmode=disable",
                        "PGRELOCATE_TARGET_URI", "postgresql://postgres@db:5432/target?sslmode=disable",
                        "PGRELOCATE_REQUIRE_TLS", "false"));
                cm.getData().remove("PGRELOCATE_TARGET_RO_URI");
                return cm;
            });
            for (String side : List.of("pgrelocate-source", "pgrelocate-target")) {
                client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(side).endMetadata()
                        .addToStringData("password", "k3s-test-password").build()).create();
            }
            boolean imageBuilt = Files.exists(IMAGE);
            if (imageBuilt) {
                K3S.copyFileToContainer(MountableFile.forHostPath(IMAGE), "/tmp/cnpg-prepare.tar");
                assertThat(K3S.execInContainer("ctr", "images", "import", "/tmp/cnpg-prepare.tar").getExitCode()).isZero();
            }

            Cli cli = Cli.against(kubeconfig);
            int exit = cli.run("run", "cnpg-prepare", "-n", NS, "--name", "prepare-1", "--timeout", imageBuilt ? "5m" : "90s");

            assertThat(cli.out()).contains("job.batch/prepare-1 created");
            var job = client.batch().v1().jobs().inNamespace(NS).withName("prepare-1").get();
            assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual");
            assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getName()).isEqualTo("pgrelocate-cnpg-prepare"));
            if (imageBuilt) {
                assertThat(exit).as(cli.out() + cli.err()).isZero();
                assertThat(cli.out()).contains("target").doesNotContain("k3s-test-password");
            } else {
                assertThat(exit).isEqualTo(16);
                assertThat(cli.err()).containsAnyOf("ErrImagePull", "ImagePullBackOff");
            }
        }
    }

    /** The dev overlay as kubectl renders it, the same command the manifests tests use. */
    static String render() throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("kustomize/overlays/dev").toString()).start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return yaml;
    }

    /** One PostgreSQL 15 pod holding an empty source and an empty target database. */
    static void startPostgres(KubernetesClient client) throws Exception {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("db").addToLabels("app", "db").endMetadata()
                .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:15")
                .addNewEnv().withName("POSTGRES_PASSWORD").withValue("k3s-test-password").endEnv()
                .addNewEnv().withName("POSTGRES_DB").withValue("source").endEnv()
                .withNewReadinessProbe().withNewExec().withCommand("pg_isready", "-h", "127.0.0.1", "-U", "postgres").endExec().endReadinessProbe()
                .endContainer().endSpec().build()).create();
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("db").endMetadata()
                .withNewSpec().addToSelector("app", "db").addNewPort().withPort(5432).endPort().endSpec().build()).create();
        client.pods().inNamespace(NS).withName("db").waitUntilReady(5, TimeUnit.MINUTES);
        try (ExecWatch create = client.pods().inNamespace(NS).withName("db").inContainer("postgres")
                .exec("psql", "-U", "postgres", "-c", "CREATE DATABASE target")) {
            assertThat(create.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        }
    }
}
