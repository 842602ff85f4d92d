package io.pgrelocate.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgrelocate.engine.common.Durations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report for a change ticket: one self-contained HTML file (no script, no external resource)
 * with the result, a timeline of the phases with the write window highlighted, the preflight, the
 * copy per table, the verification with every difference, and every other section of the JSON
 * report. It renders the JSON tree, so a section added to the report shows up here too.
 */
public final class HtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sections with a layout of their own; everything else is shown as a generic table. */
    private static final Set<String> LAID_OUT = Set.of("command", "source", "target", "started", "finished", "sourceVersion",
            "targetVersion", "preflight", "copy", "verify", "result", "exitCode", "error");

    private HtmlReport() {
    }

    /** A {@link MigrationReport}, or a job's report that holds one under {@code migration}. */
    public static String render(Object report) {
        return fromJson(ReportWriter.json(report));
    }

    /** The HTML of a JSON report as {@link ReportWriter} writes it. */
    public static String fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode migration = root.has("migration") && root.get("migration").isObject() ? root.get("migration") : root;
        Html h = new Html();
        h.open(text(migration, "command"), text(migration, "result"));
        overview(h, migration);
        Timeline.of(migration).render(h);
        preflight(h, migration.get("preflight"));
        copy(h, migration.get("copy"));
        verify(h, migration.get("verify"));
        migration.fields().forEachRemaining(e -> {
            if (!LAID_OUT.contains(e.getKey()) && !e.getValue().isNull()) {
                h.section(title(e.getKey())).value(e.getValue());
            }
        });
        if (migration != root) {
            ObjectNode rest = root.deepCopy();
            rest.remove("migration");
            if (!rest.isEmpty()) {
                h.section("Job").value(rest);
            }
        }
        return h.close();
    }

    public static void write(Object report, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, render(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTML report " + file, e);
        }
    }

    private static void overview(Html h, JsonNode r) {
        boolean ok = r.path("exitCode").asInt(1) == 0;
        h.raw("<p class=\"result " + (ok ? "ok" : "failed") + "\">").text(text(r, "result") + " (exit " + r.path("exitCode").asText() + ")")
                .raw("</p>");
        if (r.hasNonNull("error")) {
            h.raw("<p class=\"error\">").text(text(r, "error")).raw("</p>");
        }
        h.raw("<table class=\"kv\">");
        h.row("source", text(r, "source") + version(r, "sourceVersion"));
        h.row("target", text(r, "target") + version(r, "targetVersion"));
        h.row("started", text(r, "started"));
        h.row("finished", text(r, "finished"));
        if (r.hasNonNull("started") && r.hasNonNull("finished")) {
            h.row("took", Durations.human(Duration.between(Instant.parse(text(r, "started")), Instant.parse(text(r, "finished")))));
        }
        h.raw("</table>");
    }

    private static void preflight(Html h, JsonNode checks) {
        if (checks == null || !checks.isArray()) {
            return;
        }
        h.section("Preflight").raw("<table><tr><th></th><th>check</th><th>what it saw</th></tr>");
        for (JsonNode c : checks) {
            boolean passed = c.path("passed").asBoolean();
            h.raw("<tr class=\"" + (passed ? "ok" : "failed") + "\"><td>").text(passed ? "ok" : "FAIL").raw("</td><td>")
                    .text(text(c, "name")).raw("</td><td>").text(text(c, "message")).raw("</td></tr>");
        }
        h.raw("</table>");
    }

    private static void copy(Html h, JsonNode copy) {
        if (copy == null || !copy.isObject()) {
            return;
        }
        h.section("Copy");
        ObjectNode scalars = copy.deepCopy();
        JsonNode tables = scalars.remove("tables");
        h.value(scalars);
        if (tables != null && tables.isArray() && !tables.isEmpty()) {
            h.raw("<h3>Tables</h3>").array(tables);
        }
    }

    private static void verify(Html h, JsonNode v) {
        if (v == null || !v.isObject()) {
            return;
        }
        h.section("Verification");
        h.raw("<p>").text(v.path("tablesCompared").asText() + " tables, " + v.path("rowsCompared").asText() + " rows, "
                + v.path("sequencesCompared").asText() + " sequences, " + v.path("largeObjectsCompared").asText() + " large objects compared")
                .raw("</p>");
        JsonNode diffs = v.path("differences");
        if (diffs.isArray() && diffs.isEmpty()) {
            h.raw("<p class=\"result ok\">").text("no differences").raw("</p>");
        } else if (diffs.isArray()) {
            h.raw("<p class=\"result failed\">").text(diffs.size() + " difference(s)").raw("</p>").array(diffs);
        }
        JsonNode warnings = v.path("warnings");
        if (warnings.isArray() && !warnings.isEmpty()) {
            h.raw("<ul class=\"notes\">");
            warnings.forEach(w -> h.raw("<li>").text("note: " + w.asText()).raw("</li>"));
            h.raw("</ul>");
        }
        ObjectNode rest = v.deepCopy();
        rest.remove(List.of("tablesCompared", "rowsCompared", "sequencesCompared", "largeObjectsCompared", "differences", "warnings"));
        if (!rest.isEmpty()) {
            h.value(rest);
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String version(JsonNode r, String field) {
        return r.hasNonNull(field) ? " (PostgreSQL " + text(r, field) + ")" : "";
    }


    /** {@code rolledBack} → {@code Rolled back}. */
    static String title(String field) {
        String spaced = field.replaceAll("([a-z])([A-Z])", "$1 $2").replace('-', ' ').toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    /** Escaped HTML text building, and the generic rendering of any JSON value. */
    static final class Html {
        private final StringBuilder sb = new StringBuilder();

        void open(String command, String result) {
            raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").text("pgrelocate " + command + ": " + result)
                    .raw("</title><style>" + CSS + "</style></head><body><h1>").text("pgrelocate " + command).raw("</h1>");
        }

        String close() {
            return raw("</body></html>\n").sb.toString();
        }

        Html section(String title) {
            return raw("<h2>").text(title).raw("</h2>");
        }

        Html raw(String html) {
            sb.append(html);
            return this;
        }

        Html text(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '<' -> sb.append("&lt;");
                    case '>' -> sb.append("&gt;");
                    case '&' -> sb.append("&amp;");
                    case '"' -> sb.append("&quot;");
                    case '\'' -> sb.append("&#39;");
                    default -> sb.append(c);
                }
            }
            return this;
        }

        void row(String key, String value) {
            raw("<tr><th>").text(key).raw("</th><td>").text(value).raw("</td></tr>");
        }

        /** An object as a key/value table, an array of objects as a table, anything else as text. */
        Html value(JsonNode v) {
            if (v.isObject()) {
                raw("<table class=\"kv\">");
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    raw("<tr><th>").text(e.getKey()).raw("</th><td>");
                    value(e.getValue());
                    raw("</td></tr>");
                }
                return raw("</table>");
            }
            if (v.isArray()) {
                return array(v);
            }
            return text(v.isNull() ? "" : v.asText());
        }

        Html array(JsonNode items) {
            List<String> columns = new ArrayList<>();
            items.forEach(i -> i.fieldNames().forEachRemaining(f -> {
                if (!columns.contains(f)) {
                    columns.add(f);
                }
            }));
            if (columns.isEmpty()) {
                raw("<ul>");
                items.forEach(i -> raw("<li>").value(i).raw("</li>"));
                return raw("</ul>");
            }
            raw("<table><tr>");
            columns.forEach(c -> raw("<th>").text(c).raw("</th>"));
            raw("</tr>");
            for (JsonNode i : items) {
                raw("<tr>");
                columns.forEach(c -> raw("<td>").value(i.path(c)).raw("</td>"));
                raw("</tr>");
            }
            return raw("</table>");
        }

        private static final String CSS = """
                body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:75em}
                table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
                table.kv th{background:#f4f4f4;font-weight:normal}
                .result{font-weight:bold;padding:.3em .6em;display:inline-block}.ok{color:#135f13}.failed{color:#a00}
                p.result.ok{background:#e6f4e6}p.result.failed{background:#fbe3e3}.error{color:#a00}
                .timeline td.bar{width:40em;padding:0}.timeline span{display:block;height:1em;background:#8aa9d6}
                .timeline tr.window span{background:#e07b39}.timeline tr.window th{color:#a34a0f}
                """;
    }
}
