package io.pgrelocate.engine.report;

import io.pgrelocate.engine.common.Plural;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.verify.VerifyResult;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The human summary printed at the end of every run. */
public final class Summary {
    private static final int MAX_DIFFERENCES_SHOWN = 50;

    private Summary() {
    }

    public static String of(MigrationReport r) {
        return of(r, "result  ");
    }

    /**
     * The summary of one step inside a job that goes on with checks of its own (validation,
     * cnpg-prepare): its result line is labelled by the step, so only the job's verdict says "result".
     */
    public static String ofStep(MigrationReport r) {
        return of(r, "step    " + r.command() + ": ");
    }

    private static String of(MigrationReport r, String resultLabel) {
        StringBuilder sb = new StringBuilder();
        sb.append("── pgrelocate ").append(r.command()).append(" ──\n");
        sb.append("source  ").append(r.source()).append(r.sourceVersion() == null ? "" : "  (PostgreSQL " + r.sourceVersion() + ")").append('\n');
        sb.append("target  ").append(r.target()).append(r.targetVersion() == null ? "" : "  (PostgreSQL " + r.targetVersion() + ")").append('\n');
        if (r.preflight() != null) {
            sb.append("preflight\n");
            for (Check c : r.preflight()) {
                sb.append(c.passed() ? "  ok    " : "  FAIL  ").append(c.line()).append('\n');
            }
        }
        if (r.copy() != null) {
            CopyResult c = r.copy();
            if (c.stream() != null) {
                appendStream(sb, c);
            } else {
                sb.append("copy    strategy ").append(c.strategy()).append(", ").append(Plural.of(c.jobs(), "job")).append(": ")
                        .append(c.phases().stream().map(p -> p.name() + " " + Durations.human(p.took()) + (p.note() == null ? "" : " " + p.note()))
                                .collect(Collectors.joining(", "))).append('\n');
            }
        }
        if (r.verify() != null) {
            appendVerify(sb, r.verify());
        }
        if (r.apps() != null) {
            sb.append("apps    ").append(r.apps().summaryLine()).append('\n');
        }
        if (r.window() != null) {
            sb.append("window  ").append(r.window().writeLine()).append('\n');
            sb.append("        ").append(r.window().appLine()).append('\n');
        }
        sb.append(resultLabel).append(r.result());
        if (r.started() != null && r.finished() != null) {
            sb.append(" in ").append(Durations.human(Duration.between(r.started(), r.finished())));
        }
        sb.append(" (exit ").append(r.exitCode()).append(")\n");
        if (r.error() != null) {
            sb.append("error   ").append(r.error()).append('\n');
        }
        return sb.toString();
    }

    private static final int TABLES_SHOWN = 5;

    private static void appendStream(StringBuilder sb, CopyResult c) {
        CopyResult.Stream s = c.stream();
        sb.append("copy    strategy stream, ").append(c.jobs()).append(" jobs, nothing on disk: schema ").append(Durations.human(c.took("dump").plus(c.took("pre-data"))))
                .append(", data ").append(Durations.human(s.data())).append(" (").append(s.rows()).append(" rows, ")
                .append(Durations.bytes(s.bytes())).append(", ").append(Durations.bytes(s.bytesPerSecond())).append("/s), ")
                .append(s.indexBuilds()).append(" indexes beside the copy (+").append(Durations.human(s.indexes()))
                .append("), foreign keys ").append(Durations.human(s.foreignKeys()))
                .append(", post-data ").append(Durations.human(s.postData())).append('\n');
        s.tables().stream().limit(TABLES_SHOWN).forEach(t -> sb.append("        ").append(t.table()).append(": ").append(t.rows())
                .append(" rows, ").append(Durations.bytes(t.bytes())).append(", ").append(t.format())
                .append(t.freeze() ? " FREEZE" : "").append(t.ranges() > 1 ? ", " + t.ranges() + " ranges" : "")
                .append(", ").append(Durations.human(t.took())).append('\n'));
        if (s.tables().size() > TABLES_SHOWN) {
            sb.append("        … ").append(s.tables().size() - TABLES_SHOWN).append(" more tables in the JSON report\n");
        }
    }

    private static void appendVerify(StringBuilder sb, VerifyResult v) {
        String objects = v.schemaObjectCounts().entrySet().stream().map(e -> Plural.of(e.getValue(), e.getKey()))
                .collect(Collectors.joining(", "));
        sb.append("verify  ").append(Plural.of(v.tablesCompared(), "table")).append(", ").append(Plural.of(v.rowsCompared(), "row"))
                .append(", ").append(Plural.of(v.sequencesCompared(), "sequence")).append(", ")
                .append(Plural.of(v.largeObjectsCompared(), "large object")).append("; schema: ").append(objects).append('\n');
        List<Difference> d = v.differences();
        if (d.isEmpty()) {
            sb.append("        no differences: row counts, content digests, sequences, large objects, extensions and schema objects match\n");
        } else {
            sb.append("        ").append(Plural.of(d.size(), "difference")).append(":\n");
            d.stream().limit(MAX_DIFFERENCES_SHOWN).forEach(x -> sb.append("          ✗ ").append(x.describe()).append('\n'));
            if (d.size() > MAX_DIFFERENCES_SHOWN) {
                sb.append("          … and ").append(d.size() - MAX_DIFFERENCES_SHOWN).append(" more in the JSON report\n");
            }
        }
        v.warnings().forEach(w -> sb.append("        note: ").append(w).append('\n'));
    }

}
