package io.pgrelocate.engine.copy.logical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code REPLICA IDENTITY FULL} on the source's tables without a key, as the user consented
 * ({@code --replica-identity-full}), and its undoing. What each table had is recorded on the
 * source before it changes, in the second line of the run's publication COMMENT (after the record
 * {@link LogicalNames#record()}), so that {@link Teardown} sets it back on every exit path — also
 * from {@code pgrelocate rollback} after a SIGKILL — before it drops the publication. The target
 * never keeps FULL (the copy carries it).
 */
final class ReplicaIdentityConsent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> TABLES = new TypeReference<>() {
    };

    private final Map<String, String> before = new LinkedHashMap<>();
    private final Consumer<String> out;

    ReplicaIdentityConsent(Consumer<String> out) {
        this.out = out;
    }

    /** Records what each table in {@code tables} has on the publication {@code names} made, then sets FULL on each. */
    synchronized void setFull(Db src, LogicalNames names, List<String> tables) {
        for (String table : tables) {
            before.put(table, src.text("SELECT CASE relreplident WHEN 'n' THEN 'NOTHING' ELSE 'DEFAULT' END FROM pg_class WHERE oid = ?::regclass", table));
        }
        if (before.isEmpty()) {
            return;
        }
        record(src, names, before);
        before.forEach((table, had) -> {
            src.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
            out.accept("logical: set REPLICA IDENTITY FULL on the source's " + table + " (it has no primary key; set back to "
                    + had + " when the run ends, or by pgrelocate rollback)");
        });
    }

    /** The copy carried FULL to the target: give each table the source's own setting there. */
    synchronized void resetOnTarget(Db tgt) {
        before.forEach((table, had) -> tgt.execute("ALTER TABLE " + table + " REPLICA IDENTITY " + had));
    }

    /**
     * Sets back on {@code src} what the publication of {@code names} records, then clears the record
     * (so that a retry does nothing twice). A table dropped since, or whose identity someone changed
     * from FULL since, is left as it is. What failed, one line each with the statement to run.
     */
    static List<String> restoreRecorded(Db src, LogicalNames names, Consumer<String> out) {
        Map<String, String> recorded = recorded(src, names);
        List<String> problems = new ArrayList<>();
        if (!recorded.isEmpty()) {
            src.execute("SET lock_timeout = '10s'");  // a long transaction on the table: say so rather than hang the teardown
        }
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            String table = e.getKey();
            String had = e.getValue().equals("NOTHING") ? "NOTHING" : "DEFAULT";
            try {
                String now = src.text("SELECT coalesce((SELECT relreplident::text FROM pg_class WHERE oid = to_regclass(?)), '-')", table);
                if (now.equals("f")) {
                    src.execute("ALTER TABLE " + table + " REPLICA IDENTITY " + had);
                    out.accept("teardown: REPLICA IDENTITY of the source's " + table + " set back to " + had);
                } else {
                    out.accept("teardown: REPLICA IDENTITY of the source's " + table + (now.equals("-") ? " not set back: the table is gone"
                            : " left as it is: someone changed it since the run set FULL"));
                }
            } catch (DbException ex) {
                problems.add("REPLICA IDENTITY of the source's " + table + " (set it back with ALTER TABLE " + table + " REPLICA IDENTITY "
                        + had + "): " + ex.getMessage());
            }
        }
        if (!recorded.isEmpty()) {
            record(src, names, Map.of());
            src.execute("RESET lock_timeout");
        }
        return problems;
    }

    /** The tables the publication's COMMENT records, with what each had; empty when none (or no such publication). */
    static Map<String, String> recorded(Db src, LogicalNames names) {
        String line = src.list("SELECT coalesce(split_part(obj_description(oid, 'pg_publication'), E'\\n', 2), '') FROM pg_publication WHERE pubname = ?",
                rs -> rs.getString(1), names.publication()).stream().findFirst().orElse("");
        if (line.isBlank()) {  // no record, or a publication of that name made by someone else without one
            return Map.of();
        }
        try {
            return JSON.readValue(line, TABLES);
        } catch (JsonProcessingException e) {
            return Map.of();  // a record edited by hand: nothing we can trust to set back; the publication goes as usual
        }
    }

    private static void record(Db src, LogicalNames names, Map<String, String> tables) {
        try {
            String record = names.record() + (tables.isEmpty() ? "" : "\n" + JSON.writeValueAsString(tables));
            src.execute("COMMENT ON PUBLICATION " + Db.quoteIdent(names.publication()) + " IS " + Subscription.literal(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
