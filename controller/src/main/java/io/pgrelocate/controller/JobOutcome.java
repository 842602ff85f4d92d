package io.pgrelocate.controller;

import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.kube.JobFollower;
import io.pgrelocate.engine.kube.JobFollower.JobResult;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/** Follows a Job's log to the terminal and turns the way it ended into the CLI's exit code. */
final class JobOutcome {
    private JobOutcome() {
    }

    /** 0 when the Job completed, the container's exit code when it failed; exit 16 (thrown) when we stop following. */
    static int follow(Cluster cluster, String job, Duration timeout, PrintWriter out, PrintWriter err) {
        JobResult result;
        try (LogLines log = new LogLines(out)) {
            result = new JobFollower(cluster.client(), cluster.namespace(), Clock.systemUTC()).follow(job, log, timeout);
        }
        if (result.succeeded()) {
            out.println("job.batch/" + job + " completed");
            out.flush();
            return ExitCode.OK.code();
        }
        err.println("error: job.batch/" + job + " " + describe(result));
        err.flush();
        return result.exitCode();
    }

    /** {@code Complete, exit 0} or {@code Failed (BackoffLimitExceeded), exit 12: verification found differences}. */
    static String describe(JobResult result) {
        ExitCode known = ExitCode.of(result.exitCode());
        return (result.reason().isEmpty() ? (result.succeeded() ? "Complete" : "Failed") : result.reason())
                + ", exit " + result.exitCode()
                + (result.exitCode() != 0 && known.code() == result.exitCode() ? ": " + known.meaning() : "");
    }
}
