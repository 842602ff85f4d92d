package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.DumpRestore;
import io.pgrelocate.engine.copy.LaterPhases;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Resumes a bulk copy a {@code replicate} left unfinished (SIGKILL, evicted pod). The slot survives,
 * its exported snapshot does not: the tables recorded complete stay, the others are copied again by
 * the subscription's own table synchronisation, each from a snapshot of its own that joins the stream
 * exactly. In order: (a) the unfinished tables leave the publication, and every transaction that began
 * before waits to end (pgoutput decodes a transaction with the catalog of its start); (b) they are
 * emptied on the target; (c) the subscription starts on the slot without copying and applies up to
 * past (a): changes made before (a) still come for those tables, are applied and (d) emptied again;
 * (e) they rejoin the publication and {@code REFRESH PUBLICATION WITH (copy_data = true)} copies them,
 * until every table is ready; (f) the missing foreign keys and the post-data follow, against complete
 * data. The missing indexes and primary keys come before (c): the apply finds rows by them.
 * Refused, with the reason, when the stopped run's later phases had begun (which of its objects exist
 * cannot be told), when a table to copy again is published through a partitioned root or by
 * FOR ALL TABLES (it cannot leave the publication alone), and when the source's schema changed.
 */
final class BulkResume {
    private final Db src;
    private final Db tgt;
    private final LogicalNames names;
    private final ConnectionSpec publisher;
    private final String passfile;
    private final Consumer<String> out;
    private final Clock clock;
    private final Duration reportEvery;

    BulkResume(Db src, Db tgt, LogicalNames names, ConnectionSpec publisher, String passfile, Duration reportEvery, Consumer<String> out, Clock clock) {
        this.src = src;
        this.tgt = tgt;
        this.names = names;
        this.publisher = publisher;
        this.passfile = passfile;
        this.reportEvery = reportEvery;
        this.out = out;
        this.clock = clock;
    }

    /** Runs (a)–(f); returns the stopped run's record, which the caller writes once all is done. */
    ReplicationRecord run(BulkCopyLedger.Progress stopped, DumpRestore tools, ConnectionSpec source, ConnectionSpec target, Path workDir,
                          Duration timeout) {
        ReplicationRecord run = stopped.run();
        String why = "the " + run.run().replace("replicate run", "replicate") + " stopped during its bulk copy";
        if (stopped.laterPhases()) {
            throw refused(why + " after its data, while making foreign keys and post-data: which of them exist cannot be told");
        }
        if (src.longValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()", names.slot()) == 0) {
            throw refused(why + " and its slot " + names.slot() + " is gone");
        }
        List<String> changed = run.sourceSchema().changesTo(SchemaFingerprint.take(src, run.schemaFilter()));
        if (!changed.isEmpty()) {
            throw refused(why + " and the source's schema changed since (" + Lists.some(changed) + ")");
        }
        if (src.longValue("SELECT count(*) FROM pg_publication WHERE pubname = ? AND puballtables", names.publication()) > 0) {
            throw refused(why + " and its publication is FOR ALL TABLES: a table cannot leave it alone");
        }
        // what the publication lists, by qualified name as the ledger keeps them; relkind 'p' for a partitioned root
        List<String[]> published = src.list("""
                SELECT n.nspname || '.' || c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind::text
                  FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
                  JOIN pg_class c ON c.oid = pr.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE p.pubname = ? ORDER BY 1""", rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, names.publication());
        Set<String> all = new HashSet<>();
        List<String> again = new java.util.ArrayList<>();
        for (String[] t : published) {
            all.add(t[0]);
            if (!stopped.copied().contains(t[0])) {
                if (t[2].equals("p")) {
                    throw refused(why + " and " + t[0] + " is partitioned: its partitions are published through it, so they cannot be copied again alone");
                }
                again.add(t[1]);
            }
        }
        out.accept("resume: the bulk copy of the " + run.run() + " stopped part-way: keeping " + (all.size() - again.size())
                + " table(s) complete on the target, copying " + again.size() + " again");
        LaterPhases later = LaterPhases.read(src, all, out);
        later.buildMissingIndexes(tgt);
        if (again.isEmpty()) {
            Subscription.create(tgt, names, publisher, passfile, false);
        } else {
            String list = String.join(", ", again);
            String pub = Db.quoteIdent(names.publication());
            // (a) out of the publication; then no transaction that began before may still be running
            src.execute("BEGIN");
            src.execute("ALTER PUBLICATION " + pub + " DROP TABLE " + list);
            String xid = src.text("SELECT pg_current_xact_id()::text");
            src.execute("COMMIT");
            awaitUntil("transactions older than the publication's change to end",
                    () -> src.longValue("SELECT (pg_snapshot_xmin(pg_current_snapshot()) > ?::xid8)::int", xid) == 1, timeout);
            String after = src.text("SELECT pg_current_wal_lsn()::text");
            // (b) emptied; (c) the stream on the existing slot, applied up to past (a)
            tgt.execute("TRUNCATE ONLY " + list);
            Subscription.create(tgt, names, publisher, passfile, false);
            awaitUntil("the target to apply the stream up to " + after,
                    () -> src.longValue("SELECT (confirmed_flush_lsn >= ?::pg_lsn)::int FROM pg_replication_slots WHERE slot_name = ?",
                            after, names.slot()) == 1, timeout);
            // (d) what the stream brought for them before (a) goes; (e) back in, copied by the subscription
            tgt.execute("TRUNCATE ONLY " + list);
            src.execute("ALTER PUBLICATION " + pub + " ADD TABLE " + list);
            tgt.execute("ALTER SUBSCRIPTION " + Db.quoteIdent(names.subscription()) + " REFRESH PUBLICATION WITH (copy_data = true)");
            awaitUntil("every table of the subscription to be ready", () -> notReady() == 0, timeout);
            out.accept("resume: " + again.size() + " table(s) copied again by the subscription, every table ready");
        }
        // (f) against complete data
        later.addMissingForeignKeys(tgt);
        later.restorePostData(tools, source, target, workDir);
        return run;
    }

    private long notReady() {
        long n = tgt.longValue("""
                SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
                 WHERE s.subname = ? AND r.srsubstate <> 'r'""", names.subscription());
        return n;
    }

    private void awaitUntil(String what, java.util.function.BooleanSupplier done, Duration timeout) {
        Instant start = clock.instant();
        Instant lastReport = start;
        while (!done.getAsBoolean()) {
            Instant now = clock.instant();
            if (Duration.between(start, now).compareTo(timeout) > 0) {
                throw new EngineException(ExitCode.REPLICATION, "resume: waited " + timeout + " for " + what
                        + "; the replication stays (pgrelocate status shows why; replicate again, or pgrelocate abort)");
            }
            if (Duration.between(lastReport, now).compareTo(reportEvery) >= 0) {
                out.accept("resume: waiting for " + what);
                lastReport = now;
            }
            Pause.sleep(Duration.ofMillis(200));
        }
    }

    private EngineException refused(String reason) {
        return new EngineException(ExitCode.REPLICATION, reason + "; it must start over: pgrelocate abort --migration " + names.migration()
                + ", empty the target database, then replicate again");
    }
}
