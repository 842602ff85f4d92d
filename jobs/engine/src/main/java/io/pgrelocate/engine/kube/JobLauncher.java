package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates Jobs from the suspended CronJob templates exactly as
 * {@code kubectl create job NAME --from=cronjob/TEMPLATE} does, so a Job started by pgrelocate and
 * one started by hand are indistinguishable.
 */
public final class JobLauncher {
    public static final String TEMPLATE_PREFIX = "pgrelocate-";
    public static final String INSTANTIATE = "cronjob.kubernetes.io/instantiate";
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String namespace;

    public JobLauncher(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * kubectl's createJobFromCronJob (checked against kubectl 1.32 in JobLauncherTest): the template's
     * labels, {@code cronjob.kubernetes.io/instantiate=manual} overlaid by the template's annotations,
     * and an ownerReference to the CronJob with {@code controller: true} — so the CronJob's history
     * limits apply to manual runs too — but without {@code blockOwnerDeletion}, which would need
     * RBAC on cronjobs/finalizers.
     */
    public static Job fromCronJob(CronJob cronJob, String name) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(INSTANTIATE, "manual");
        var template = cronJob.getSpec().getJobTemplate();
        if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
            annotations.putAll(template.getMetadata().getAnnotations());
        }
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                        .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    /** A Job name like kubectl users pick: the template's name and the UTC time. */
    public static String defaultName(String template, Instant now) {
        return template + "-" + SUFFIX.format(now);
    }

    /** {@code migration} and {@code pgrelocate-migration} both name the template pgrelocate-migration. */
    public static String templateName(String job) {
        return job.startsWith(TEMPLATE_PREFIX) ? job : TEMPLATE_PREFIX + job;
    }

    public CronJob template(String job) {
        String name = templateName(job);
        CronJob cronJob = KubeCalls.run("read CronJob " + name, () -> client.batch().v1().cronjobs().inNamespace(namespace).withName(name).get());
        if (cronJob == null) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "no CronJob template " + name + " in namespace " + namespace
                    + ": apply the manifests first (kubectl apply -k kustomize/overlays/<env>) or pass -n");
        }
        return cronJob;
    }

    /** Adds or replaces environment variables in every container, e.g. PGRELOCATE_DRY_RUN=true for one run. */
    public static Job withEnv(Job job, Map<String, String> env) {
        if (env.isEmpty()) {
            return job;
        }
        Job copy = new JobBuilder(job).build();
        for (Container c : copy.getSpec().getTemplate().getSpec().getContainers()) {
            List<EnvVar> vars = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
            vars.removeIf(v -> env.containsKey(v.getName()));
            env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
            c.setEnv(vars);
        }
        return copy;
    }

    /**
     * The Secrets and ConfigMaps (and their keys) that the pod would need but that do not exist; a
     * pod with a missing one never starts, so we refuse before creating the Job.
     */
    public List<String> missingReferences(PodSpec pod) {
        List<String> missing = new ArrayList<>();
        for (PodReferences.Ref ref : PodReferences.of(pod)) {
            if (ref.optional()) {
                continue;
            }
            String what = (ref.secret() ? "Secret " : "ConfigMap ") + namespace + "/" + ref.name();
            Set<String> keys = ref.secret() ? secretKeys(ref.name()) : configMapKeys(ref.name());
            if (keys == null) {
                missing.add(what + " does not exist");
            } else if (ref.key() != null && !keys.contains(ref.key())) {
                missing.add(what + " has no key '" + ref.key() + "'");
            }
        }
        return missing.stream().distinct().toList();
    }

    public Job create(Job job) {
        String name = job.getMetadata().getName();
        if (KubeCalls.run("read Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get()) != null) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "a Job named " + name + " already exists in namespace " + namespace
                    + "; nothing was created: pick another --name (finished Jobs are kept 7 days for their logs)");
        }
        return KubeCalls.run("create Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace).resource(job).create());
    }

    /** The newest Job made from a template (by ownerReference), for {@code logs} and {@code status}. */
    public Optional<Job> latest(String job) {
        String template = templateName(job);
        List<Job> jobs = KubeCalls.run("list Jobs", () -> client.batch().v1().jobs().inNamespace(namespace).list().getItems());
        return jobs.stream()
                .filter(j -> j.getMetadata().getOwnerReferences() != null && j.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> "CronJob".equals(o.getKind()) && template.equals(o.getName())))
                .max(Comparator.comparing((Job j) -> String.valueOf(j.getMetadata().getCreationTimestamp()))
                        .thenComparing(j -> j.getMetadata().getName()));
    }

    /** The Secret's keys, or null when it does not exist; values are never read into a String. */
    private Set<String> secretKeys(String name) {
        Secret s = KubeCalls.run("read Secret " + name, () -> client.secrets().inNamespace(namespace).withName(name).get());
        return s == null ? null : keys(s.getData(), s.getStringData());
    }

    private Set<String> configMapKeys(String name) {
        ConfigMap cm = KubeCalls.run("read ConfigMap " + name, () -> client.configMaps().inNamespace(namespace).withName(name).get());
        return cm == null ? null : keys(cm.getData(), cm.getBinaryData());
    }

    private static Set<String> keys(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new HashSet<>();
        keys.addAll(a == null ? Set.of() : a.keySet());
        keys.addAll(b == null ? Set.of() : b.keySet());
        return keys;
    }
}
