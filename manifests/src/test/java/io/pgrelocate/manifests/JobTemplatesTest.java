package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** The five CronJob templates, in every render: never fire, never retry, run restricted as their own account. */
@ExtendWith(NameTheDirOnFailure.class)
class JobTemplatesTest {

    /** Jobs that write a dump and so mount /work. */
    private static final Set<String> DUMPING = Set.of("backup-test", "migration");

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void exactlyTheFiveJobTemplates(Path dir) {
        assertThat(Render.of(dir).all(CronJob.class)).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(PgrelocateJobs.ALL.stream().map(PgrelocateJobs::objectName).toList());
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void templatesNeverFireOnTheirOwn(Path dir) {
        assertSoftly(softly -> Render.of(dir).all(CronJob.class).forEach(cronJob -> {
            CronJobSpec spec = cronJob.getSpec();
            String name = cronJob.getMetadata().getName();
            softly.assertThat(spec.getSuspend()).as(name + " suspend").isTrue();
            softly.assertThat(spec.getSchedule()).as(name + " schedule (February 31st)").isEqualTo("0 0 31 2 *");
            softly.assertThat(spec.getConcurrencyPolicy()).as(name + " concurrencyPolicy").isEqualTo("Forbid");
        }));
    }

    /** A deleted Job's pod gets SIGTERM: the job stops its tools, thaws or un-fences within 100 s, then reports. */
    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void podsHaveTimeToUndoOnSigterm(Path dir) {
        assertSoftly(softly -> Render.of(dir).all(CronJob.class).forEach(cronJob -> softly
                .assertThat(Render.podSpec(cronJob).getTerminationGracePeriodSeconds())
                .as(cronJob.getMetadata().getName() + " terminationGracePeriodSeconds (the jobs' own stop grace is 100 s)")
                .isEqualTo(120L)));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void runsAreNeverRetriedAndKeptSevenDays(Path dir) {
        assertSoftly(softly -> Render.of(dir).all(CronJob.class).forEach(cronJob -> {
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            String name = cronJob.getMetadata().getName();
            softly.assertThat(job.getBackoffLimit()).as(name + " backoffLimit").isZero();
            softly.assertThat(job.getTtlSecondsAfterFinished()).as(name + " ttlSecondsAfterFinished").isEqualTo(7 * 24 * 3600);
            softly.assertThat(Render.podSpec(cronJob).getRestartPolicy()).as(name + " restartPolicy").isEqualTo("Never");
            // manual Jobs are owned by the template as controller, so its history limits prune them as well
            softly.assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).as(name + " failedJobsHistoryLimit").isGreaterThanOrEqualTo(10);
            softly.assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).as(name + " successfulJobsHistoryLimit").isGreaterThanOrEqualTo(10);
        }));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void eachJobRunsAsItsOwnServiceAccountAndContainer(Path dir) {
        Render render = Render.of(dir);
        assertSoftly(softly -> PgrelocateJobs.ALL.forEach(job -> {
            CronJob cronJob = render.cronJob(PgrelocateJobs.objectName(job));
            softly.assertThat(Render.podSpec(cronJob).getServiceAccountName()).as(job + " serviceAccountName")
                    .isEqualTo(PgrelocateJobs.objectName(job));
            softly.assertThat(Render.container(cronJob).getName()).as(job + " container").isEqualTo(job);
            softly.assertThat(cronJob.getSpec().getJobTemplate().getMetadata().getLabels()).as(job + " jobTemplate labels")
                    .containsEntry("app.kubernetes.io/name", "pgrelocate")
                    .containsEntry("app.kubernetes.io/component", job)
                    .containsEntry("app.kubernetes.io/part-of", "pgrelocate");
        }));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void podsMeetTheRestrictedPodSecurityStandard(Path dir) {
        Render render = Render.of(dir);
        assertSoftly(softly -> PgrelocateJobs.ALL.forEach(job -> {
            CronJob cronJob = render.cronJob(PgrelocateJobs.objectName(job));
            PodSpec pod = Render.podSpec(cronJob);
            Container container = Render.container(cronJob);
            PodSecurityContext podSecurity = pod.getSecurityContext();
            softly.assertThat(podSecurity.getRunAsNonRoot()).as(job + " runAsNonRoot").isTrue();
            softly.assertThat(podSecurity.getRunAsUser()).as(job + " runAsUser").isEqualTo(1001L);
            softly.assertThat(podSecurity.getRunAsGroup()).as(job + " runAsGroup").isEqualTo(1001L);
            softly.assertThat(podSecurity.getFsGroup()).as(job + " fsGroup").isEqualTo(1001L);
            softly.assertThat(podSecurity.getSeccompProfile().getType()).as(job + " seccompProfile").isEqualTo("RuntimeDefault");
            SecurityContext security = container.getSecurityContext();
            softly.assertThat(security.getAllowPrivilegeEscalation()).as(job + " allowPrivilegeEscalation").isFalse();
            softly.assertThat(security.getReadOnlyRootFilesystem()).as(job + " readOnlyRootFilesystem").isTrue();
            softly.assertThat(security.getCapabilities().getDrop()).as(job + " capabilities.drop").containsExactly("ALL");
            softly.assertThat(container.getResources().getRequests()).as(job + " requests").containsKeys("cpu", "memory");
            softly.assertThat(container.getResources().getLimits()).as(job + " limits").containsKeys("cpu", "memory");
            softly.assertThat(mountPaths(container)).as(job + " writable mounts").contains("/tmp");
            if (DUMPING.contains(job)) {
                softly.assertThat(mountPaths(container)).as(job + " dump directory").contains("/work");
            }
            softly.assertThat(volume(pod, container, "/tmp").getEmptyDir()).as(job + " /tmp is an emptyDir").isNotNull();
        }));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void jobsWithoutApiAccessHaveNoRoleAndNoToken(Path dir) {
        Render render = Render.of(dir);
        assertSoftly(softly -> PgrelocateJobs.WITHOUT_API.forEach(job -> {
            String name = PgrelocateJobs.objectName(job);
            softly.assertThat(render.find(Role.class, name)).as(job + " Role").isEmpty();
            softly.assertThat(render.find(RoleBinding.class, name)).as(job + " RoleBinding").isEmpty();
            softly.assertThat(render.find(ServiceAccount.class, name).map(ServiceAccount::getAutomountServiceAccountToken))
                    .as(job + " ServiceAccount automountServiceAccountToken").contains(false);
            softly.assertThat(Render.podSpec(render.cronJob(name)).getAutomountServiceAccountToken())
                    .as(job + " pod automountServiceAccountToken").isFalse();
        }));
    }

    private static Set<String> mountPaths(Container container) {
        return Set.copyOf(container.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList());
    }

    private static Volume volume(PodSpec pod, Container container, String mountPath) {
        String name = container.getVolumeMounts().stream().filter(m -> mountPath.equals(m.getMountPath()))
                .map(VolumeMount::getName).findFirst().orElseThrow();
        return pod.getVolumes().stream().filter(v -> name.equals(v.getName())).findFirst().orElseThrow();
    }
}
