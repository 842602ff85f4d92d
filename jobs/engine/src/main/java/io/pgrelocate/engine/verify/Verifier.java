package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.ArrayList;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/** Proves the target holds what the source holds: reads both snapshots side by side and compares. */
public final class Verifier {
    private final ObjectFilter filter;
    private final Consumer<String> out;
    private final int jobs;
    private final String sourceSnapshot;
    private final String targetSnapshot;
    private final boolean privileges;
    private final boolean afterSwitch;
    private final SourceDigests streamed;

    public Verifier(ObjectFilter filter, Consumer<String> out) {
        this(filter, 1, out);
    }

    /** Digests tables on {@code jobs} sessions per side. */
    public Verifier(ObjectFilter filter, int jobs, Consumer<String> out) {
        this(filter, jobs, out, null, null, false, false, null);
    }

    private Verifier(ObjectFilter filter, int jobs, Consumer<String> out, String sourceSnapshot, String targetSnapshot, boolean privileges,
                     boolean afterSwitch, SourceDigests streamed) {
        this.streamed = streamed;
        this.privileges = privileges;
        this.afterSwitch = afterSwitch;
        this.filter = filter;
        this.jobs = jobs;
        this.out = out;
        this.sourceSnapshot = sourceSnapshot;
        this.targetSnapshot = targetSnapshot;
    }

    /** The same proof of the databases as they were in two exported snapshots (the switch point), whatever was written since. */
    public Verifier inSnapshots(String source, String target) {
        return new Verifier(filter, jobs, out, source, target, privileges, afterSwitch, streamed);
    }

    /**
     * Also compares who may do what ({@link PrivilegeReader}): owners, effective privileges, default
     * privileges, role attributes and memberships. Only where the copy kept owners and grants.
     */
    public Verifier comparingPrivileges(boolean compare) {
        return new Verifier(filter, jobs, out, sourceSnapshot, targetSnapshot, compare, afterSwitch, streamed);
    }

    /**
     * The target against the switch point once the applications write on it: the fenced source is
     * the switch point; everything but rows is compared ({@link SnapshotComparison#afterSwitch}).
     */
    public Verifier afterSwitch() {
        return new Verifier(filter, jobs, out, sourceSnapshot, targetSnapshot, privileges, true, streamed);
    }

    /**
     * Takes the source's rows of the tables the copy digested as they passed ({@code digests}, null:
     * none) from there: those are read on the target only, with the copy's COPY. The proof then holds
     * for the copy's snapshot of the source (in a switchover window: the fenced source, the same).
     */
    public Verifier withSourceDigests(SourceDigests digests) {
        return new Verifier(filter, jobs, out, sourceSnapshot, targetSnapshot, privileges, afterSwitch, digests);
    }

    public VerifyResult verify(ConnectionSpec source, ConnectionSpec target) {
        try (Db s = Db.connect(source); Db t = Db.connect(target)) {
            enter(s, sourceSnapshot);
            enter(t, targetSnapshot);
            if (afterSwitch) {
                return afterSwitch(s, t);
            }
            out.accept(streamed == null ? "verify: digesting every table on source and target in parallel"
                    : "verify: digesting the tables on source and target in parallel; the copy digested the big tables' source rows as they passed: "
                    + "those are read back from the target only");
            Pair<DatabaseSnapshot> snaps = both(s, t, db -> new SnapshotReader(db, filter, jobs, db == s ? sourceSnapshot : targetSnapshot,
                    streamed, db == s, out).read());
            DatabaseSnapshot src = snaps.source();
            SnapshotComparison comparison = SnapshotComparison.compare(src, snaps.target());
            if (!src.largeObjects().equals(snaps.target().largeObjects())) {
                Pair<SortedMap<Long, String>> contents = both(s, t, db -> new SnapshotReader(db, filter, out).largeObjectContents());
                comparison.largeObjects(contents.source(), contents.target());
            }
            comparePrivileges(s, t, comparison);
            ExampleKeys.addTo(comparison.differences(), s, t);
            return new VerifyResult(src.tables().size(), src.totalRows(), src.sequences().size(),
                    src.largeObjects().count(), src.objectCounts(),
                    new ArrayList<>(comparison.differences()), new ArrayList<>(comparison.warnings()), src.tables());
        }
    }

    private VerifyResult afterSwitch(Db s, Db t) {
        out.accept("verify: the target against the switch point (the fenced source): schema, definitions, sequences, rights");
        Pair<DatabaseSnapshot> snaps = both(s, t, db -> new SnapshotReader(db, filter, out).readStructure());
        DatabaseSnapshot src = snaps.source();
        SnapshotComparison comparison = SnapshotComparison.afterSwitch(src, snaps.target());
        comparePrivileges(s, t, comparison);
        return new VerifyResult(src.schemaObjects().getOrDefault("table", new java.util.TreeSet<>()).size(), 0, src.sequences().size(),
                src.largeObjects().count(), src.objectCounts(), new ArrayList<>(comparison.differences()),
                new ArrayList<>(comparison.warnings()), src.tables());
    }

    private void comparePrivileges(Db s, Db t, SnapshotComparison comparison) {
        if (privileges) {
            Pair<SortedMap<String, String>> rights = both(s, t, db -> PrivilegeReader.read(db, filter));
            if (!rights.source().containsKey(PrivilegeReader.DATABASE_OWNER)) {
                rights.target().remove(PrivilegeReader.DATABASE_OWNER);  // a superuser's database: the target's operator chooses its owner
            }
            comparison.privileges(rights.source(), rights.target());
        }
    }

    private static void enter(Db db, String snapshot) {
        if (snapshot != null) {
            db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            db.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
        }
    }

    private record Pair<T>(T source, T target) {
    }

    /** Runs the same read on both databases at once: verification time is the slower side, not the sum. */
    private static <T> Pair<T> both(Db source, Db target, Function<Db, T> read) {
        CompletableFuture<T> s = CompletableFuture.supplyAsync(() -> read.apply(source));
        CompletableFuture<T> t = CompletableFuture.supplyAsync(() -> read.apply(target));
        try {
            return new Pair<>(s.join(), t.join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new EngineException(ExitCode.FAILED, "verification failed: " + e.getCause(), e.getCause());
        }
    }
}
