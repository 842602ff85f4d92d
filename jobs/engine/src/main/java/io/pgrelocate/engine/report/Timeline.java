package io.pgrelocate.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrelocate.engine.common.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The phases of a run in time order, for the HTML report: the switchover window's measured phases
 * ({@code window.writePhases}, when writes are refused, and {@code window.appPhases}), and every
 * {@code phases} map (name → instant) in the report, such as the replica ledger's, each of those
 * lasting until the next one starts. The write window is highlighted.
 */
final class Timeline {
    /** {@code took} null: until the next phase; {@code refusesWrites}: part of the write window. */
    record Phase(String name, Instant at, Duration took, boolean refusesWrites) {
        Phase(String name, Instant at) {
            this(name, at, null, false);
        }
    }

    private final List<Phase> phases;
    private final Instant end;

    private Timeline(List<Phase> phases, Instant end) {
        this.phases = phases;
        this.end = end;
    }

    static Timeline of(JsonNode report) {
        List<Phase> phases = new ArrayList<>();
        Instant start = instant(report.get("started"));
        if (start != null) {
            phases.add(new Phase("started", start));
        }
        report.findValues("phases").forEach(map -> map.fields().forEachRemaining(e -> {
            Instant at = instant(e.getValue());
            if (at != null) {
                phases.add(new Phase(e.getKey(), at));
            }
        }));
        JsonNode window = report.path("window");
        measured(window.path("writePhases"), true, phases);
        measured(window.path("appPhases"), false, phases);
        phases.sort(Comparator.comparing(Phase::at));
        return new Timeline(phases, instant(report.get("finished")));
    }

    private static void measured(JsonNode list, boolean refusesWrites, List<Phase> into) {
        list.forEach(p -> {
            Instant at = instant(p.get("started"));
            if (at != null) {
                Duration took = p.hasNonNull("took") ? Duration.parse(p.get("took").asText()) : Duration.ZERO;
                into.add(new Phase(p.path("name").asText() + (refusesWrites ? "" : " (applications)"), at, took, refusesWrites));
            }
        });
    }

    private static Instant instant(JsonNode n) {
        if (n == null || !n.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Inside the write window: from a fence phase until a phase that says the target is live. */
    private static boolean opensWindow(String name) {
        return name.contains("fence") && !name.contains("unfence");
    }

    private static boolean closesWindow(String name) {
        return name.contains("live") || name.contains("unfence") || name.contains("rolled-back");
    }

    void render(HtmlReport.Html h) {
        if (phases.size() < 2 && end == null) {
            return;
        }
        Instant first = phases.get(0).at();
        Instant last = end != null ? end : phases.get(phases.size() - 1).at();
        double total = Math.max(1, Duration.between(first, last).toMillis());
        h.section("Timeline").raw("<table class=\"timeline\"><tr><th>phase</th><th>at</th><th>lasted</th><th class=\"bar\"></th></tr>");
        boolean inWindow = false;
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            Instant until = p.took() != null ? p.at().plus(p.took()) : i + 1 < phases.size() ? phases.get(i + 1).at() : last;
            inWindow = p.took() != null ? p.refusesWrites() : opensWindow(p.name()) || (inWindow && !closesWindow(p.name()));
            long offset = Duration.between(first, p.at()).toMillis();
            long length = Math.max(0, Duration.between(p.at(), until).toMillis());
            h.raw("<tr" + (inWindow ? " class=\"window\"" : "") + "><th>").text(p.name() + (inWindow ? " (writes refused)" : ""))
                    .raw("</th><td>").text(p.at().toString()).raw("</td><td>").text(Durations.human(Duration.ofMillis(length)))
                    .raw("</td><td class=\"bar\"><span style=\"margin-left:" + pct(offset / total) + ";width:" + pct(length / total)
                            + "\"></span></td></tr>");
        }
        h.raw("</table>");
    }

    private static String pct(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", Math.min(100, Math.max(0, fraction * 100)));
    }
}
