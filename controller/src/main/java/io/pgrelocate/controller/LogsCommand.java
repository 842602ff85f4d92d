package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.kube.JobFollower;
import io.pgrelocate.engine.kube.JobLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Prints the log of the newest Job made from a template.",
                "",
                "The Job may have been started by pgrelocate run or by hand with kubectl. "
                        + "With -f, follows it until the Job ends and exits with its result.",
                "",
                "Example: pgrelocate logs migration -f -n shop", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:log printed (with -f: the Job completed)",
                " 2:unknown job, or no Job from that template yet",
                "13:the Kubernetes API failed or is unreachable",
                "16:with -f: stopped following; the Job goes on",
                " N:with -f: the Job failed: its container's exit code"})
class LogsCommand extends KubeCommand {
    @Mixin
    JobArgument job;

    @Option(names = {"-f", "--follow"}, description = "Follow the log until the Job ends; exit with its result.")
    boolean follow;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "6h", converter = Durations.class,
            description = "With -f: stop following after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    int run(Cluster cluster) {
        String template = job.template();
        Job latest = new JobLauncher(cluster.client(), cluster.namespace()).latest(template)
                .orElseThrow(() -> new EngineException(ExitCode.BAD_SETTINGS, "no Job from " + template + " in namespace "
                        + cluster.namespace() + " yet: start one with pgrelocate run " + job));
        String jobName = latest.getMetadata().getName();
        err().println("job.batch/" + jobName);
        err().flush();
        if (follow) {
            return JobOutcome.follow(cluster, jobName, timeout, out(), err());
        }
        out().print(new JobFollower(cluster.client(), cluster.namespace(), Clock.systemUTC()).log(jobName));
        out().flush();
        return ExitCode.OK.code();
    }
}
