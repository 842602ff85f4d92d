package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.FencedSource;
import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.postgres.Db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A MySQL/MariaDB source's copy, behind the same seam as PostgreSQL's strategies: before the window
 * (the source still written) the tables without secondary indexes or foreign keys (after {@code --clean}
 * dropped what this copy owns, or a killed run left: see {@link UnfinishedCopy}); in it the rows by COPY, several tables at once, then keys, indexes,
 * checks, ANALYZE, foreign keys and identity positions; each table's keys, indexes and statistics are made right
 * after its rows, while other tables are still copied, and verify may start on it then. What the conversion changed or left out is
 * kept as {@link #notes()}.
 */
public final class MysqlCopy implements WindowCopy {
    private final MysqlMigrationSettings settings;
    private final MysqlPlan plan;
    private final Db target;
    private final Consumer<String> progress;
    private final Clock clock;
    private final List<String> notes;
    private final Consumer<TablePlan> ready;
    private String aborted = "the copy's tables may be left: the next migrate drops and copies them again";

    /** @param ready told of each table as soon as its rows, key and indexes are on the target (verify starts it then) */
    MysqlCopy(MysqlMigrationSettings settings, MysqlPlan plan, Db target, Consumer<String> progress, Clock clock, Consumer<TablePlan> ready) {
        this.ready = ready;
        this.settings = settings;
        this.plan = plan;
        this.target = target;
        this.progress = progress;
        this.clock = clock;
        this.notes = new ArrayList<>(plan.notes());
    }

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public void beforeWindow() {
        List<String> tables = plan.tables().stream().map(TablePlan::qualified).toList();
        if (settings.clean() || UnfinishedCopy.leftBehind(target, tables, plan.ownedTypes())) {
            progress.accept("dropping the tables and types this copy owns (" + (settings.clean() ? "--clean" : "left by an unfinished copy") + ")");
            OwnedObjects.drop(target, tables, plan.ownedTypes());
        }
        target.execute(UnfinishedCopy.createMarked(plan));
    }

    @Override
    public CopyResult inWindow(FencedSource fenced) {
        Instant copyStart = clock.instant();
        List<TableCopier.Copied> copied = copyAll(plan);
        for (TableCopier.Copied c : copied) {
            c.madeNull().forEach((col, n) -> notes.add("column " + c.table() + "." + col + ": " + n
                    + " zero dates or invalid enum values became NULL"));
            c.nulRemoved().forEach((col, n) -> notes.add("column " + c.table() + "." + col + ": " + n
                    + " NUL characters removed (PostgreSQL text cannot hold them; map the column to bytea to keep them)"));
        }
        Instant postStart = clock.instant();
        progress.accept("rows copied (" + copied.stream().mapToLong(TableCopier.Copied::rows).sum() + "), with each table's keys, "
                + "indexes and checks; foreign keys");
        postData(target, null);
        Identities.restart(target, plan.tables());
        UnfinishedCopy.unmark(target, plan);
        return new CopyResult(name(), settings.jobs(), List.of(new CopyResult.Phase("data, keys, indexes, checks, analyze",
                Duration.between(copyStart, postStart)), new CopyResult.Phase("foreign keys, identities", Duration.between(postStart,
                clock.instant()))), 0, List.of(), List.of());
    }

    @Override
    public void finish() {
    }

    /**
     * Drops what this copy created (in a session of its own, the copy's may be broken), so the target is as
     * it was; when that fails too, the objects stay marked unfinished and the next run drops them.
     */
    @Override
    public void abort() {
        try (Db own = Db.connect(settings.target())) {
            OwnedObjects.drop(own, plan.tables().stream().map(TablePlan::qualified).toList(), plan.ownedTypes());
            aborted = "the target is as it was (the tables and types this run created are dropped)";
        } catch (RuntimeException e) {
            aborted = "the tables this run created are left, marked unfinished: the next migrate drops and copies them again"
                    + " (pgrelocate migrate --clean --dry-run lists them)";
        }
        progress.accept(aborted);
    }

    /** What {@link #abort()} left on the target, in words for the error. */
    String afterAbort() {
        return aborted;
    }

    /** The plan's notes, then what the copy converted or could not (NULLed zero dates, removed NULs, unconverted objects). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The post-data statements of one table (its qualified name), or the foreign keys (null), in the plan's order. */
    private void postData(Db session, String table) {
        for (MysqlPlan.PostStatement s : plan.postData()) {
            if (!java.util.Objects.equals(s.table(), table)) {
                continue;
            }
            if (s.optional()) {
                try (Db own = Db.connect(settings.target())) {
                    own.execute(s.sql());
                } catch (RuntimeException e) {
                    synchronized (notes) {
                        notes.add(s.what() + " is not converted (" + e.getMessage().lines().findFirst().orElse("") + "): create it by hand");
                    }
                }
            } else {
                session.execute(s.sql());
            }
        }
    }

    private List<TableCopier.Copied> copyAll(MysqlPlan plan) {
        ExecutorService pool = Executors.newFixedThreadPool(settings.jobs());
        try {
            List<Future<TableCopier.Copied>> futures = new ArrayList<>();
            plan.tables().stream().sorted(Comparator.comparingLong(TablePlan::rowEstimate).reversed()).forEach(t ->
                    futures.add(pool.submit(() -> {
                        try (MysqlDb my = MysqlDb.connect(settings.source()); Db pg = Db.connect(settings.target())) {
                            TableCopier.Copied c = TableCopier.copy(my, pg, t);
                            progress.accept("copied " + t.display() + ": " + c.rows() + " rows");
                            // its keys and indexes at once, while the other tables' rows are still coming
                            postData(pg, t.qualified());
                            pg.execute("ANALYZE " + t.qualified());
                            ready.accept(t);
                            return c;
                        }
                    })));
            List<TableCopier.Copied> out = new ArrayList<>();
            for (Future<TableCopier.Copied> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof EngineException ee ? ee
                    : new EngineException(ExitCode.COPY_FAILED, "copy failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.COPY_FAILED, "copy interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
