package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.JobLauncher;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Parameters;

import java.util.Iterator;
import java.util.List;

/** The JOB argument of run and logs: one of the five templates (suspended CronJobs pgrelocate-<job>), short or in full. */
public class JobArgument {
    static final List<String> JOBS = List.of("backup-test", "cnpg-prepare", "migration", "validation", "cleanup");

    @Parameters(index = "0", paramLabel = "JOB", completionCandidates = Names.class,
            description = "One of: ${COMPLETION-CANDIDATES} (or the template's name, pgrelocate-<job>).")
    String job;

    /** The CronJob name for {@code migration} or {@code pgrelocate-migration}; refuses anything else. */
    String template() {
        String shortName = job.startsWith(JobLauncher.TEMPLATE_PREFIX) ? job.substring(JobLauncher.TEMPLATE_PREFIX.length()) : job;
        if (!JOBS.contains(shortName)) {
            throw new SettingsException("unknown job '" + job + "': one of " + String.join(", ", JOBS));
        }
        return JobLauncher.templateName(shortName);
    }

    @Override
    public String toString() {
        return job;
    }

    /** For picocli's ${COMPLETION-CANDIDATES} in the help. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return JOBS.iterator();
        }
    }
}
