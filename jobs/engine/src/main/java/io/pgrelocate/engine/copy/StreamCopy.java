package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.files.RunDirectory;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.roles.RoleCarrier;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.verify.SourceDigests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "stream" strategy: the schema through {@code pg_dump --schema-only} and
 * {@code pg_restore --section=pre-data} (filtered as in the dump strategy), then the data by N
 * workers that pipe {@code COPY … TO STDOUT} on the source into {@code COPY … FROM STDIN} on the
 * target, all inside ONE snapshot; nothing goes to disk but the schema. Each table's indexes build
 * as soon as its data is in; foreign keys and the rest of post-data come last through pg_restore.
 */
public final class StreamCopy implements BulkCopier {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** An INDEX, CONSTRAINT or FK CONSTRAINT entry of a table of contents: "218; 1259 16412 INDEX public idx owner". */
    private static final Pattern TOC_INDEX = Pattern.compile("^\\d+; \\d+ (\\d+) (?:INDEX|CONSTRAINT|FK CONSTRAINT) ");

    private final CopyOptions options;
    private final StreamTuning tuning;
    private final Consumer<String> out;
    private final Clock clock;
    private final DumpRestore tools;
    private final SourceDigests digests;
    private CopyLedger ledger;

    public StreamCopy(CopyOptions options, StreamTuning tuning, Consumer<String> out, Clock clock) {
        this(options, tuning, null, out, clock);
    }

    /**
     * With {@code digests} (null: none), the source's side of the proof is taken from the rows as they
     * pass, for every table of at least {@link StreamTuning#digestMinBytes}.
     */
    public StreamCopy(CopyOptions options, StreamTuning tuning, SourceDigests digests, Consumer<String> out, Clock clock) {
        this.digests = digests;
        this.options = options;
        this.tuning = tuning;
        this.out = out;
        this.clock = clock;
        this.tools = new DumpRestore(options, out, clock);
    }

    @Override
    public boolean recordInto(CopyLedger ledger) {
        this.ledger = ledger;
        return true;
    }

    @Override
    public CopyResult copy(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles, String snapshot) {
        // the schema dump and the pgpass file live in this run's private directory, removed with it
        try (RunDirectory runDir = RunDirectory.create(options.workDir())) {
            return DumpRestore.withPgpass(runDir.path(), List.of(source, target),
                    pgpass -> run(source, target, tables, roles, snapshot, pgpass, runDir.path()));
        } catch (StreamFailure f) {
            throw new EngineException(ExitCode.COPY_FAILED, f.step() + " failed: " + serverMessage(f.getCause())
                    + "; the source is unchanged; " + partlyLoaded(target), f);
        }
    }

    private CopyResult run(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles,
                           String given, Path pgpass, Path runDir) throws IOException {
        Instant t0 = clock.instant();
        List<String> created = RoleCarrier.carryIfKept(options.keepOwnership(), options.rolePasswords(), source, target, roles, out);
        Path schema = runDir.resolve("schema.dump");
        try (ExportedSnapshot snapshot = ExportedSnapshot.exportUnless(source, given)) {
            out.accept("stream: snapshot " + snapshot.id() + (given == null ? " exported" : " given") + "; " + options.jobs()
                    + " workers, tables above " + Durations.bytes(tuning.splitBytes()) + " split into ranges");
            List<CopyUnit> units;
            Map<String, List<IndexBuild>> builds;
            List<LargeObjects.LargeObject> largeObjects;
            List<String> setvals;
            List<ForeignKeys.ForeignKey> keys;
            try (Db plan = snapshot.join(StreamSessions.SOURCE_SETTINGS)) {
                Set<String> names = new HashSet<>();
                tables.forEach(t -> names.add(t.qualifiedName()));
                units = StreamPlan.units(plan, tables, tuning, options.jobs());
                expectDigests(units);
                builds = IndexPlan.read(plan, names);
                keys = ForeignKeys.read(plan, names);
                largeObjects = LargeObjects.list(plan);
                setvals = SequencesAndViews.sequenceSettings(plan, options.filter());
            }
            Set<Long> handled = new HashSet<>();
            builds.values().forEach(l -> l.forEach(b -> handled.add(b.tocOid())));
            keys.forEach(k -> handled.add(k.tocOid()));

            List<String> dump = tools.dumpCommand("--format=custom", "--schema-only", "--file=" + schema, "--snapshot=" + snapshot.id());
            out.accept("schema: " + String.join(" ", dump));
            tools.runTool(source, DumpRestore.runnerFor(source, pgpass), dump, "schema", "pg_dump --schema-only failed; the source is unchanged");
            Instant dumped = clock.instant();
            Path list = tools.restoreList(DumpRestore.runnerFor(target, pgpass), schema, lines -> withoutHandled(lines, handled));
            tools.restore(target, DumpRestore.runnerFor(target, pgpass), schema, list, List.of(), "pre-data", 1, "--section=pre-data");
            Instant t1 = clock.instant();

            StreamProgress progress = new StreamProgress(units, tuning.freeze(), clock);
            int indexBuilds;
            Instant t2;
            Instant t3;
            Instant tk;
            try (CopyWorkers workers = new CopyWorkers(snapshot, target, options.jobs());
                 IndexScheduler indexes = new IndexScheduler(target, options.jobs(), options.analyze())) {
                snapshot.release();  // every worker has joined it
                progress.indexesPending(indexes::pending);
                TableLoader loader = new TableLoader(workers::aborted, digests);
                List<CopyWorkers.Task> tasks = new ArrayList<>();
                for (CopyUnit u : units) {
                    tasks.add(new CopyWorkers.Task() {
                        @Override
                        public String label() {
                            return u.label();
                        }

                        @Override
                        public void run(Db s, Db t) throws Exception {
                            StreamProgress.Table counters = progress.table(u);
                            if (counters.started == null) {
                                counters.started = clock.instant();
                            }
                            loader.load(u, counters, s, t);
                            if (counters.piecesLeft.decrementAndGet() == 0) {
                                counters.finished = clock.instant();
                                if (ledger != null) {
                                    ledger.tableCopied(u.table());  // every range committed: a resume keeps it
                                }
                                indexes.tableLoaded(u.table().sqlName(), u.table().bytes(), builds.getOrDefault(u.table().qualifiedName(), List.of()));
                            }
                        }
                    });
                }
                tasks.addAll(LargeObjects.batches(largeObjects, options.jobs(), options.keepOwnership()));
                try (AutoCloseable ticker = Ticker.every(PROGRESS_EVERY, "stream", progress::line, out)) {
                    workers.run(tasks, task -> { });
                    t2 = clock.instant();
                    out.accept(progress.line() + " · data done");
                    indexes.widen(options.jobs());
                    indexes.await();
                    indexBuilds = indexes.built();
                    t3 = clock.instant();
                    out.accept("indexes: " + indexBuilds + " built, " + Durations.human(Duration.between(t2, t3)) + " after the data was in");
                    if (ledger != null) {
                        ledger.laterPhasesBegin();
                    }
                    addForeignKeys(target, keys, indexes);
                    tk = clock.instant();
                } catch (StreamFailure | EngineException e) {
                    throw e;
                } catch (Exception e) {
                    throw new StreamFailure("the copy", e);
                }
            }

            try (Db db = Db.connect(target)) {
                db.execute(StreamSessions.TARGET_SETTINGS);
                if (!setvals.isEmpty()) {
                    db.execute(String.join(";\n", setvals));  // one round trip for all sequences
                }
                SequencesAndViews.refresh(db, tables, options.analyze());
            }
            tools.restore(target, DumpRestore.runnerFor(target, pgpass), schema, list, List.of(), "post-data",
                    options.jobs(), "--section=post-data");
            Instant t4 = clock.instant();
            Files.deleteIfExists(schema);

            long bytes = progress.bytes();
            Duration data = Duration.between(t1, t2);
            long rate = data.toMillis() == 0 ? 0 : bytes * 1000 / data.toMillis();
            out.accept("stream: done, " + progress.rows() + " rows, " + Durations.bytes(bytes) + " in " + Durations.human(data)
                    + " (" + Durations.bytes(rate) + "/s); " + setvals.size() + " sequences, " + largeObjects.size() + " large objects");
            CopyResult.Stream details = new CopyResult.Stream(snapshot.id(), data, Duration.between(t2, t3), Duration.between(t3, tk),
                    Duration.between(tk, t4),
                    progress.rows(), bytes, rate, indexBuilds, largeObjects.size(), progress.results());
            return new CopyResult("stream", options.jobs(), List.of(new CopyResult.Phase("dump", Duration.between(t0, dumped)),
                    new CopyResult.Phase("pre-data", Duration.between(dumped, t1)),
                    new CopyResult.Phase("data, indexes, foreign keys and post-data", Duration.between(t1, t4))), 0,
                    created, options.filter().excludedExtensions().stream().sorted().toList(), details);
        }
    }

    /** Tells the proof which tables' rows to digest as they pass, and in how many ranges. */
    private void expectDigests(List<CopyUnit> units) {
        if (digests == null) {
            return;
        }
        units.stream().filter(u -> u.piece() <= 1 && u.table().bytes() >= tuning.digestMinBytes()).forEach(u -> digests.expect(u.table().qualifiedName(),
                new SourceDigests.Streamed(u.table().sqlName(), u.columns(), u.binary()), Math.max(1, u.pieces())));
    }

    /** All keys NOT VALID on one session (each is instant), then their checks in parallel. */
    private void addForeignKeys(ConnectionSpec target, List<ForeignKeys.ForeignKey> keys, IndexScheduler pool) {
        if (keys.isEmpty()) {
            return;
        }
        Instant t0 = clock.instant();
        try (Db db = Db.connect(target)) {
            db.execute(StreamSessions.TARGET_SETTINGS);
            for (ForeignKeys.ForeignKey k : keys) {
                try {
                    db.execute(k.add());
                } catch (RuntimeException e) {
                    throw new StreamFailure("adding foreign key " + k.name() + " of " + k.table(), e);
                }
            }
        }
        pool.validate(keys);
        pool.await();
        out.accept("foreign keys: " + keys.size() + " added NOT VALID and validated in parallel in " + Durations.human(Duration.between(t0, clock.instant())));
    }

    /** The table of contents without the indexes, constraints and foreign keys this strategy makes itself. */
    public static List<String> withoutHandled(List<String> toc, Set<Long> handled) {
        return toc.stream().filter(line -> {
            Matcher m = TOC_INDEX.matcher(line);
            return !m.find() || !handled.contains(Long.parseLong(m.group(1)));
        }).toList();
    }

    /** The server's words, one line, through the driver's wrappers ("An I/O error occurred …: Connection reset"). */
    static String serverMessage(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = e; c != null && parts.size() < 3; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage().lines().findFirst().orElse("");
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }

    static String partlyLoaded(ConnectionSpec target) {
        String opts = "-h " + target.host() + " -p " + target.port() + " -U " + shellWord(target.user()) + " ";
        return "the target database " + target.display() + " is partly loaded: drop and recreate it before retrying"
                + " (dropdb " + opts + shellWord(target.database()) + " && createdb " + opts + "-O " + shellWord(target.user())
                + " " + shellWord(target.database()) + ")";
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_.-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
