package io.pgrelocate.controller;

import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.discover.Discovery;
import io.pgrelocate.engine.discover.SourceDescription;
import io.pgrelocate.engine.kube.JobFollower;
import io.pgrelocate.engine.kube.JobLauncher;
import io.pgrelocate.engine.plan.DowntimeEstimate;
import io.pgrelocate.engine.plan.DumpMeasurement;

import static io.pgrelocate.engine.common.Durations.bytes;
import static io.pgrelocate.engine.common.Durations.human;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Says what a migration of one source will do and how long the applications will be down.",
                "",
                "From discovery: the version gate (the target major must not be older than the source's), the "
                        + "data volume, the workloads that will be frozen, and the CNPG objects to create. The downtime "
                        + "per strategy is computed from what the newest backup-test Job measured on this very source "
                        + "(pg_dump's rate); without one, run `pgrelocate run backup-test` first. Changes nothing.",
                "",
                "Example: pgrelocate plan -n shop --source acid-main --target-major 16 --cluster main", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the plan is printed",
                " 2:two candidate sources (pass --source), or bad options",
                " 5:the target major is older than the source's",
                "13:the Kubernetes API failed or is unreachable",
                "18:nothing to migrate"})
class PlanCommand extends KubeCommand {
    @Option(names = "--source", paramLabel = "NAME", description = "The source to plan for, when the namespace has several.")
    String source;

    @Option(names = "--target-major", paramLabel = "N", description = "PostgreSQL major of the target (default: the source's).")
    Integer targetMajor;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Name of the CNPG Cluster to create (default: <source>-cnpg).")
    String cluster;

    @Option(names = "--freeze", paramLabel = "DURATION", converter = Durations.class, defaultValue = "1m",
            description = "Time allowed for the applications to stop, added to the downtime (default: ${DEFAULT-VALUE}).")
    Duration freeze;

    @Override
    int run(Cluster kube) {
        SourceDescription s = Discovery.in(kube.client(), kube.namespace()).single(Optional.ofNullable(source));
        PrintWriter out = out();
        int target = targetMajor != null ? targetMajor : s.major() != null ? s.major() : 0;
        out.println("plan for " + s.flavour().toString().toLowerCase(java.util.Locale.ROOT) + " source " + s.name()
                + " in namespace " + kube.namespace());
        if (s.major() == null) {
            out.println("version   source major unknown (see `pgrelocate discover`); preflight checks it on the live server");
        } else if (target < s.major()) {
            throw new EngineException(ExitCode.VERSION, "target major " + target + " is older than the source's " + s.major()
                    + ": pg_restore cannot go back; use --target-major " + s.major() + " or newer");
        } else {
            out.println("version   PostgreSQL " + s.major() + " → " + target + ": ok");
        }
        out.println("volume    " + (s.storage() == null ? "unknown" : s.storage().size()
                + (s.storage().storageClass() == null ? "" : " (" + s.storage().storageClass() + ")")));
        out.println("freeze    " + (s.apps().isEmpty() ? "no application found using it" : String.join(", ", s.apps())));
        String name = cluster != null ? cluster : s.name() + "-cnpg";
        // the same name everywhere after this line: the generated Cluster, the target URI, the cutover's host mapping
        out.println("create    Cluster " + name + " (PostgreSQL " + target + "), Poolers " + name + "-pooler-rw, "
                + name + "-pooler-ro: pgrelocate generate cnpg --from-source " + s.name() + " --name " + name
                + (cluster == null ? " (another name: plan --cluster NAME)" : ""));
        out.println("settings  PGRELOCATE_TARGET_URI=postgresql://…@" + name + "-rw:5432/…, PGRELOCATE_CUTOVER_HOSTS=" + s.name() + "=" + name + "-pooler-rw");
        Optional<DumpMeasurement> measured = measurement(kube);
        if (measured.isEmpty()) {
            out.println("downtime  not estimated: no successful backup-test Job here; run `pgrelocate run backup-test` to measure pg_dump on this source");
        } else {
            DumpMeasurement m = measured.get();
            out.println("measured  " + bytes(m.databaseBytes()) + " database, pg_dump read it in " + human(m.dump())
                    + " (" + bytes((long) m.bytesPerSecond()) + "/s, " + m.mode() + ", " + m.jobs() + " jobs) in Job " + m.job());
            DowntimeEstimate.from(m, freeze).forEach(e -> out.println("downtime  " + e.line()));
            out.println("          restore and verify are assumed to run at pg_dump's rate: read these as lower bounds");
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private Optional<DumpMeasurement> measurement(Cluster kube) {
        return new JobLauncher(kube.client(), kube.namespace()).latest("backup-test").flatMap(job -> {
            String name = job.getMetadata().getName();
            return DumpMeasurement.fromLog(name, new JobFollower(kube.client(), kube.namespace(), Clock.systemUTC()).log(name));
        });
    }
}
