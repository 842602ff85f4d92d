package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pgrelocate.engine.kube.JobLauncher;
import io.pgrelocate.engine.testing.KubeNamespace;
import io.pgrelocate.engine.testing.Kubectl;
import io.pgrelocate.engine.testing.RealKubernetes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `pgrelocate run` makes its Job as `kubectl create job --from=cronjob/…` does: for each of the five
 * templates of the dev overlay, both are created on the same real API server and compared field by field.
 */
@ExtendWith(RealKubernetes.class)
class JobsFromTemplatesOnRealServerTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void everyTemplateYieldsTheJobKubectlCreatesFromIt(KubeNamespace ns) {
        DevOverlayOnServer.applyTo(ns);
        KubernetesClient admin = ns.admin();
        Path kubeconfig = ns.kubeconfig();
        JobLauncher launcher = new JobLauncher(admin, ns.name());

        for (String job : PgrelocateJobs.ALL) {
            Job ours = launcher.create(JobLauncher.fromCronJob(launcher.template(job), job + "-run"));
            Kubectl.run(kubeconfig, "create", "job", job + "-kubectl", "--from=cronjob/" + PgrelocateJobs.objectName(job));
            Job theirs = admin.batch().v1().jobs().withName(job + "-kubectl").get();

            assertThat(comparable(ours)).as(job).isEqualTo(comparable(theirs));
            assertThat(ours.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getName() + " " + o.getController()).isEqualTo(PgrelocateJobs.objectName(job) + " true"));
        }
    }

    /** The Job as stored, less what the server makes differ between any two Jobs: name, uid, times, versions, status. */
    private static String comparable(Job stored) {
        Job j = JSON.clone(stored);
        String name = j.getMetadata().getName();
        String uid = j.getMetadata().getUid();
        j.getMetadata().setName(null);
        j.getMetadata().setUid(null);
        j.getMetadata().setResourceVersion(null);
        j.getMetadata().setCreationTimestamp(null);
        j.getMetadata().setManagedFields(null);
        j.getMetadata().setGeneration(null);
        j.setStatus(null);
        // the server labels the pods and selects them by the Job's own name and uid
        return JSON.asJson(j).replace(uid, "UID").replace(name, "NAME");
    }
}
