package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code REPLICA IDENTITY FULL} on the source's tables without a key, as the user consented
 * ({@code --replica-identity-full}), and its undoing: the source gets each table's own setting back
 * when the run ends in any way but a SIGKILL, and the target never keeps it (the dump carries it).
 */
final class ReplicaIdentityConsent {
    private final Map<String, String> before = new LinkedHashMap<>();
    private final Consumer<String> out;

    ReplicaIdentityConsent(Consumer<String> out) {
        this.out = out;
    }

    /** Sets FULL on each table in {@code tables}, remembering what it had. */
    synchronized void setFull(Db src, List<String> tables) {
        for (String table : tables) {
            String had = src.text("SELECT CASE relreplident WHEN 'n' THEN 'NOTHING' ELSE 'DEFAULT' END FROM pg_class WHERE oid = ?::regclass", table);
            src.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
            before.put(table, had);
            out.accept("logical: set REPLICA IDENTITY FULL on the source's " + table + " (it has no primary key; set back to "
                    + had + " when the run ends)");
        }
    }

    /** The copy carried FULL to the target: give each table the source's own setting there. */
    synchronized void resetOnTarget(Db tgt) {
        before.forEach((table, had) -> tgt.execute("ALTER TABLE " + table + " REPLICA IDENTITY " + had));
    }

    /** Gives each table its own setting back on the source, on a session of its own; what failed, one line each. */
    synchronized List<String> restore(ConnectionSpec source) {
        if (before.isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        try (Db src = Db.connect(source)) {
            src.execute("SET default_transaction_read_only = off");  // a fenced source defaults to read-only
            for (Map.Entry<String, String> e : before.entrySet()) {
                src.execute("ALTER TABLE " + e.getKey() + " REPLICA IDENTITY " + e.getValue());
                out.accept("teardown: REPLICA IDENTITY of the source's " + e.getKey() + " set back to " + e.getValue());
            }
            before.clear();
        } catch (DbException e) {
            problems.add("REPLICA IDENTITY of " + String.join(", ", before.keySet()) + " on " + source.display()
                    + " (set back with ALTER TABLE … REPLICA IDENTITY DEFAULT): " + e.getMessage());
        }
        return problems;
    }
}
