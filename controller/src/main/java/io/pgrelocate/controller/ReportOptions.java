package io.pgrelocate.controller;

import io.pgrelocate.engine.report.HtmlReport;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.engine.report.Summary;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Where the report goes: a human summary always, JSON on request. */
public class ReportOptions {
    @Option(names = "--report", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path reportFile;

    @Option(names = "--report-html", paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML file (timeline, per-table figures, every difference), for a change ticket.")
    Path htmlFile;

    @Option(names = "--json", description = "Print the JSON report instead of the human summary.")
    boolean json;

    /** Before the run: a report that could not be written at the end is refused now. */
    void checkWritable() {
        if (reportFile != null) {
            ReportWriter.checkWritable(reportFile);
        }
        if (htmlFile != null) {
            ReportWriter.checkWritable(htmlFile);
        }
    }

    int finish(MigrationReport report, PrintWriter out) {
        out.println(json ? ReportWriter.json(report) : Summary.of(report));
        if (reportFile != null) {
            ReportWriter.write(report, reportFile);
            out.println("report written to " + reportFile);
        }
        if (htmlFile != null) {
            HtmlReport.write(report, htmlFile);
            out.println("HTML report written to " + htmlFile);
        }
        out.flush();
        return report.exitCode();
    }
}
