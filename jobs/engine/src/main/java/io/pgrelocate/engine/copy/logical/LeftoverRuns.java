package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The logical runs whose objects are still on the two servers, found by the record each object
 * carries as its COMMENT (the publication in the source database, the subscription in the target
 * database) and by the name the caller knows: what rollback tears down, subscription first, before
 * it lifts a fence, so that a lifted source never streams into the target again.
 */
public final class LeftoverRuns {
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final Consumer<String> out;

    /** {@code target} null: the source's side only (the subscription, if any, stays on the target: the result says so). */
    public LeftoverRuns(ConnectionSpec source, ConnectionSpec target, Consumer<String> out) {
        this.source = source;
        this.target = target;
        this.out = out;
    }

    /** The migrations found on either server, plus {@code known} (the ledger's, or the local default) when given. */
    public List<String> migrations(String known) {
        TreeSet<String> found = new TreeSet<>();
        if (known != null) {
            found.add(known);
        }
        try (Db src = Db.connect(source)) {
            found.addAll(Publication.recorded(src));
        }
        if (target != null) {
            try (Db tgt = Db.connect(target)) {
                found.addAll(Subscription.recorded(tgt));
            }
        }
        return List.copyOf(found);
    }

    /** One line per migration, for a dry run. */
    public List<String> plan(String known) {
        List<LogicalNames> runs = migrations(known).stream().map(LogicalNames::of).toList();
        try (Db src = Db.connect(source)) {
            return runs.stream().map(n -> "would drop " + (target == null ? ""
                    : "subscription " + n.subscription() + " on " + target.display() + " (disable, detach, drop), then ")
                    + "replication slot and publication " + n.slot() + " on " + source.display() + ", where they exist"
                    + identities(ReplicaIdentityConsent.recorded(src, n))).toList();
        }
    }

    private static String identities(java.util.Map<String, String> recorded) {
        return recorded.isEmpty() ? "" : ", after setting back the REPLICA IDENTITY of " + recorded.entrySet().stream()
                .map(e -> e.getKey() + " to " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }

    /** Tears down every run found; the problems of all of them (empty: nothing is left). */
    public List<String> dropAll(String known) {
        List<String> problems = new ArrayList<>();
        List<String> migrations;
        try {
            migrations = migrations(known);
        } catch (DbException e) {
            return List.of("looking for pgrelocate's replication objects: " + e.getMessage());
        }
        for (String migration : migrations) {
            problems.addAll(new Teardown(source, target, LogicalNames.of(migration), out).run().problems());
        }
        if (target == null) {
            migrations.forEach(m -> out.accept("teardown: note: a subscription " + LogicalNames.of(m).subscription()
                    + " may remain on the target (it holds the source password and blocks DROP DATABASE): pass --target to drop it"));
        }
        return problems;
    }
}
