package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.kube.CutoverGrant;
import io.pgrelocate.engine.kube.JobLauncher;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Starts a Job from its template, follows its log, exits with its result.",
                "",
                "The Job is made from the suspended CronJob pgrelocate-<job> exactly as this would make it:",
                "  kubectl create job NAME --from=cronjob/pgrelocate-<job>",
                "Refuses, before creating anything, when a Secret, ConfigMap or key the pod needs is missing.",
                "",
                "Example: pgrelocate run migration -n shop --env PGRELOCATE_DRY_RUN=true", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the Job completed (or --no-follow/--dry-run)",
                " 2:unknown job, bad --env, or a missing Secret/ConfigMap/key (nothing created)",
                "13:the Kubernetes API failed or is unreachable",
                "16:stopped following (the pod did not start, or --timeout passed); the Job is left in place",
                " N:the Job failed: its container's exit code (see pgrelocate --help)"})
class RunCommand extends KubeCommand {
    @Mixin
    JobArgument job;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the Job (default: the template's name and the UTC time).")
    String name;

    @Option(names = "--env", paramLabel = "KEY=VALUE",
            description = "Set a PGRELOCATE_* setting for this run only; repeatable. Passwords and URIs are refused: they belong in Secrets.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--no-follow", description = "Create the Job and return; read it later with pgrelocate logs JOB -f.")
    boolean noFollow;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "6h", converter = Durations.class,
            description = "Stop following after this long; the Job goes on (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--dry-run", description = "Print the Job as YAML; create nothing.")
    boolean dryRun;

    @Override
    int run(Cluster cluster) {
        String template = job.template();
        Map<String, String> vars = EnvOverrides.check(env);
        String jobName = name != null ? validName(name) : JobLauncher.defaultName(template, Instant.now());
        JobLauncher launcher = new JobLauncher(cluster.client(), cluster.namespace());
        CronJob cronJob = launcher.template(template);
        Job created = JobLauncher.withEnv(JobLauncher.fromCronJob(cronJob, jobName), vars);

        List<String> missing = launcher.missingReferences(created.getSpec().getTemplate().getSpec());
        if (!missing.isEmpty()) {
            missing.forEach(m -> err().println("error: " + m + " (" + template + " needs it; no Job was created)"));
            err().flush();
            return ExitCode.BAD_SETTINGS.code();
        }
        if (dryRun) {
            out().print(Serialization.asYaml(created));
            out().flush();
            err().println("dry run: job.batch/" + jobName + " was not created");
            return ExitCode.OK.code();
        }
        Optional<AppsGrant> grant = appsGrant(cluster, vars);
        grant.ifPresent(g -> g.grant.grant(g.apps, null)); // before the Job: its pod reads the applications' Secrets at once
        Job started = launcher.create(created);
        out().println("job.batch/" + jobName + " created");
        grant.ifPresent(g -> {
            g.grant.grant(g.apps, started); // now owned by the Job: Kubernetes removes it with the Job at the latest
            out().println("role.rbac.authorization.k8s.io/" + g.grant.name() + ": the Job may read and update only the Secrets and "
                    + "ConfigMaps " + g.apps + " reference, until the run ends");
        });
        out().flush();
        if (noFollow) {
            out().println("follow it with: pgrelocate logs " + job + " -f -n " + cluster.namespace());
            return ExitCode.OK.code();
        }
        try {
            return JobOutcome.follow(cluster, jobName, timeout, out(), err());
        } finally {
            grant.ifPresent(g -> g.grant.revoke());
        }
    }

    private record AppsGrant(CutoverGrant grant, List<WorkloadRef> apps) {
    }

    /**
     * A migration that cuts applications over (PGRELOCATE_CUTOVER_HOSTS) gets, for this run, the right to read and
     * update exactly the Secrets and ConfigMaps they reference: granted here, with the rights of whoever runs this.
     */
    private Optional<AppsGrant> appsGrant(Cluster cluster, Map<String, String> vars) {
        if (!job.template().equals(JobLauncher.templateName("migration"))) {
            return Optional.empty();
        }
        ClusterSettings settings = new ClusterSettings(cluster);
        String hosts = vars.getOrDefault(ClusterSettings.CUTOVER_HOSTS, settings.value(ClusterSettings.CUTOVER_HOSTS).orElse(""));
        String workloads = vars.getOrDefault(ClusterSettings.WORKLOADS, settings.value(ClusterSettings.WORKLOADS).orElse(""));
        if (hosts.isBlank() || workloads.isBlank()) {
            return Optional.empty();
        }
        String migration = vars.getOrDefault(ClusterSettings.MIGRATION, settings.migration(null));
        return Optional.of(new AppsGrant(new CutoverGrant(cluster.client(), cluster.namespace(), migration),
                WorkloadRef.parseAll(List.of(workloads.split(",")))));
    }

    /** The name also becomes the pods' job-name label, so it must be a DNS label. */
    private static String validName(String name) {
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new SettingsException("--name " + name + ": a Job name must be lower case letters, digits and '-', at most 63 characters");
        }
        return name;
    }
}
