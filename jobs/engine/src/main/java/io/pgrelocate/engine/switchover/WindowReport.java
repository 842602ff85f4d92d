package io.pgrelocate.engine.switchover;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The downtime as measured: the write window (the fence → writes accepted again, on the target or,
 * without a switch, on the source) and the applications' downtime (the first scale-down → every
 * application ready), each with its phases. Built from the marks of the window, the same ones the
 * ledger keeps, so the report and {@code pgrelocate status} tell the same figures.
 *
 * @param mode {@code switch} (the applications came back on the target) or {@code return} (on the source)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowReport(String mode, Duration writeWindow, List<Phase> writePhases, Duration appDowntime,
                           List<Phase> appPhases, String fence) {
    public static final String START = "window-start";
    public static final String APPS_STOPPED = "apps-stopped";
    public static final String FENCED = "fenced";
    public static final String SYNCED = "synced";
    public static final String VERIFIED = "verified";
    public static final String HOOKED = "hooked";
    public static final String SWITCHED = "target-live";
    public static final String UNFENCED = "unfenced";
    public static final String APPS_READY = "apps-ready";

    /** One phase: its name, when it began and how long it took. */
    public record Phase(String name, Instant started, Duration took) {
    }

    /** Phase name, the mark it starts at, the mark it ends at. */
    private static final String[][] WRITE = {{"fence", APPS_STOPPED, FENCED}, {"final sync", FENCED, SYNCED},
            {"verify", SYNCED, VERIFIED}, {"schema hook", VERIFIED, HOOKED},
            {"cutover", HOOKED, SWITCHED}, {"cutover", VERIFIED, SWITCHED}, {"unfence", VERIFIED, UNFENCED}};
    private static final String[][] APPS = {{"freeze", START, APPS_STOPPED}, {"thaw", SWITCHED, APPS_READY}, {"thaw", UNFENCED, APPS_READY}};

    public WindowReport {
        writePhases = List.copyOf(writePhases);
        appPhases = List.copyOf(appPhases);
    }

    /** The ledger's own mark of the first scale-down, which it stamps before it could take {@link #START}. */
    private static final String LEDGER_FROZEN = "frozen";

    /** The figures the marks reached so far allow; a window cut short has only its first phases. */
    public static Optional<WindowReport> of(Map<String, Instant> reached, String fence) {
        if (!reached.containsKey(APPS_STOPPED)) {
            return Optional.empty();
        }
        Map<String, Instant> marks = new java.util.HashMap<>(reached);
        if (!marks.containsKey(START) && marks.containsKey(LEDGER_FROZEN)) {
            marks.put(START, marks.get(LEDGER_FROZEN));
        }
        String end = marks.containsKey(SWITCHED) ? SWITCHED : UNFENCED;
        List<Phase> write = phases(WRITE, marks);
        List<Phase> apps = new ArrayList<>(phases(APPS, marks));
        apps.add(1, new Phase("write window", marks.get(APPS_STOPPED), between(marks, APPS_STOPPED, end)));
        return Optional.of(new WindowReport(marks.containsKey(SWITCHED) ? "switch" : "return", between(marks, APPS_STOPPED, end), write,
                between(marks, START, APPS_READY), apps.stream().filter(p -> p.took() != null).toList(), fence));
    }

    private static List<Phase> phases(String[][] table, Map<String, Instant> marks) {
        List<Phase> result = new ArrayList<>();
        for (String[] p : table) {
            if (result.stream().anyMatch(done -> done.name().equals(p[0]))) {
                continue; // an earlier row of the same name matched (cutover after the hook, thaw after the switch)
            }
            Duration took = between(marks, p[1], p[2]);
            if (took != null) {
                result.add(new Phase(p[0], marks.get(p[1]), took));
            }
        }
        return result;
    }

    private static Duration between(Map<String, Instant> marks, String from, String to) {
        Instant a = marks.get(from);
        Instant b = marks.get(to);
        return a == null || b == null ? null : Duration.between(a, b);
    }

    /** E.g. {@code write window 3.1s (fence 0.1s, final sync 2.5s, verify 0.4s, cutover 0.1s)}. */
    public String writeLine() {
        return "write window " + human(writeWindow) + " " + list(writePhases);
    }

    public String appLine() {
        return "app downtime " + human(appDowntime) + " " + list(appPhases);
    }

    private static String list(List<Phase> phases) {
        return "(" + String.join(", ", phases.stream().map(p -> p.name() + " " + human(p.took())).toList()) + ")";
    }

    private static String human(Duration d) {
        return d == null ? "unfinished" : String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
