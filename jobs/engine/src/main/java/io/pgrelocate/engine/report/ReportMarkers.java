package io.pgrelocate.engine.report;

import java.util.Optional;

/**
 * The lines around a Job's JSON report in its log, so that {@code kubectl logs} stays readable and a
 * program (such as {@code pgrelocate plan}) can still find the report in it.
 */
public final class ReportMarkers {
    public static final String BEGIN = "--- pgrelocate report (json) ---";
    public static final String END = "--- end report ---";

    private ReportMarkers() {
    }

    /** The last report in a log, if any. */
    public static Optional<String> lastReport(String log) {
        int begin = log.lastIndexOf(BEGIN);
        int end = begin < 0 ? -1 : log.indexOf(END, begin);
        return end < 0 ? Optional.empty() : Optional.of(log.substring(begin + BEGIN.length(), end).strip());
    }
}
