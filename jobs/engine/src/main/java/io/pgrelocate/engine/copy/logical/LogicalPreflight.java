package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.Preflight;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What logical replication needs before anything changes: wal_level, a free slot and WAL sender,
 * the REPLICATION privilege, majors, a replica identity on every table, a target that may
 * subscribe and is empty. Read-only on both sides; each failure is one line naming its fix.
 */
public final class LogicalPreflight {
    /** The subscription's own initial copy runs table-sync workers, each with a slot and a sender of its own. */
    static final int TABLE_SYNC_WORKERS = 2;

    private final LogicalOptions options;
    private final int slotsNeeded;

    /** @param subscriptionCopiesData true when the subscription copies the rows itself (copy_data), not a bulk copier */
    public LogicalPreflight(LogicalOptions options, boolean subscriptionCopiesData) {
        this.options = options;
        this.slotsNeeded = 1 + (subscriptionCopiesData ? TABLE_SYNC_WORKERS : 0);
    }

    public PreflightResult run(ConnectionSpec source, ConnectionSpec target) {
        List<Check> checks = new ArrayList<>();
        try (Db src = connect("source", source, checks); Db tgt = connect("target", target, checks)) {
            if (src != null && tgt != null) {
                src.execute("SET default_transaction_read_only = on");  // preflight never writes to the source
                sourceChecks(src, checks);
                checks.add(subscribePrivilege(tgt, target));
                checks.add(applyWorkers(tgt, target));
                if (options.publisherPassfile() != null) {
                    checks.add(PassfileCheck.of(tgt, options.publisherPassfile()));
                }
                checks.add(namesFree(src, tgt));
                checks.add(Preflight.targetEmpty(new Introspector(tgt, options.filter()), target, options.allowNonEmpty()));
            }
        } catch (DbException e) {
            checks.add(Check.fail("introspection", ExitCode.FAILED, e.getMessage()));
        }
        return new PreflightResult(List.copyOf(checks), null, null);
    }

    private static Db connect(String side, ConnectionSpec spec, List<Check> checks) {
        try {
            return Db.connect(spec);
        } catch (DbConnectException e) {
            checks.add(Check.fail(side, e.exitCode(), side + ": " + e.getMessage()));
            return null;
        }
    }

    private void sourceChecks(Db src, List<Check> checks) {
        int major = new Introspector(src, options.filter()).version().major();
        if (major < 10) {
            checks.add(Check.fail("logical: version", ExitCode.VERSION, "source " + src.spec().display() + " runs PostgreSQL "
                    + major + ": logical replication with pgoutput needs 10 or newer; use --strategy dump or stream"));
            return;
        }
        SourceTables tables = new SourceTables(src, options.filter());
        checks.add(version(major, tables));
        checks.add(walLevel(src));
        checks.add(capacity(src, "logical: slots", "max_replication_slots", "SELECT count(*) FROM pg_replication_slots", "replication slot"));
        checks.add(capacity(src, "logical: wal senders", "max_wal_senders",
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender'", "WAL sender"));
        checks.add(WalRetentionCheck.of(src));
        checks.add(replicationPrivilege(src));
        checks.add(publishPrivilege(src, tables));
        checks.add(replicaIdentity(tables));
    }

    private static Check version(int major, SourceTables tables) {
        List<String> partitioned = tables.partitioned();
        if (major < 13 && !partitioned.isEmpty()) {
            // Before 13 a publication cannot publish via the root; the leaves go one by one, which
            // needs the target to hold the same partitions — the schema copy makes sure it does.
            return Check.pass("logical: version", "PostgreSQL " + major + ": partitioned tables " + Lists.some(partitioned)
                    + " are published partition by partition (publish_via_partition_root needs 13)");
        }
        return Check.pass("logical: version", "PostgreSQL " + major + (major >= 13 ? ", publishing partitions via their root" : ""));
    }

    private static Check walLevel(Db src) {
        String level = src.text("SELECT current_setting('wal_level')");
        if (!level.equals("logical")) {
            return Check.fail("logical: wal_level", ExitCode.CHECK_FAILED, "source " + src.spec().display() + " has wal_level="
                    + level + ", logical replication needs wal_level=logical (a restart): " + WalLevelFix.forSource(src));
        }
        return Check.pass("logical: wal_level", "wal_level=logical");
    }

    private Check capacity(Db src, String name, String setting, String usedSql, String what) {
        long max = src.longValue("SELECT current_setting('" + setting + "')::bigint");
        long used = src.longValue(usedSql);
        long free = max - used;
        if (free < slotsNeeded) {
            return Check.fail(name, ExitCode.CHECK_FAILED, "source " + src.spec().display() + " has " + free + " free " + what
                    + "(s) (" + setting + "=" + max + ", " + used + " in use), the migration needs " + slotsNeeded
                    + ": raise " + setting + " (a restart) or drop an unused one");
        }
        return Check.pass(name, free + " of " + setting + "=" + max + " free, " + slotsNeeded + " needed");
    }

    private static Check replicationPrivilege(Db src) {
        boolean allowed = src.text("""
                SELECT (r.rolsuper OR r.rolreplication
                        OR EXISTS (SELECT 1 FROM pg_roles m WHERE m.rolname IN ('rds_superuser', 'rds_replication')
                                     AND pg_has_role(current_user, m.oid, 'MEMBER')))::text
                  FROM pg_roles r WHERE r.rolname = current_user
                """).equals("true");
        if (!allowed) {
            return Check.fail("logical: replication privilege", ExitCode.PRIVILEGES, "source user " + src.spec().user()
                    + " has neither REPLICATION nor superuser: ALTER ROLE " + Db.quoteIdent(src.spec().user())
                    + " REPLICATION (Zalando: add the replication flag to the user in the postgresql resource)");
        }
        return Check.pass("logical: replication privilege", src.spec().user() + " may replicate");
    }

    private Check publishPrivilege(Db src, SourceTables tables) {
        boolean superuser = src.text("SELECT current_setting('is_superuser')").equals("on");
        List<String> notOwned = superuser ? List.of() : tables.notOwned();
        if (!notOwned.isEmpty()) {
            return Check.fail("logical: publication", ExitCode.PRIVILEGES, "source user " + src.spec().user()
                    + " may not publish " + Lists.some(notOwned) + " (a publication needs superuser or the tables' owner):"
                    + " connect as their owner or a superuser");
        }
        return Check.pass("logical: publication", "FOR TABLE, " + tables.published(true).size() + " tables");
    }

    private Check replicaIdentity(SourceTables tables) {
        List<String> missing = tables.withoutReplicaIdentity();
        if (missing.isEmpty()) {
            return Check.pass("logical: replica identity", "every table has a primary key or a replica identity");
        }
        if (options.replicaIdentityFull()) {
            return Check.pass("logical: replica identity", "will set REPLICA IDENTITY FULL on the source for " + Lists.some(missing)
                    + " (as consented)");
        }
        return Check.fail("logical: replica identity", ExitCode.CHECK_FAILED, missing.size() + " table(s) without a primary key"
                + " or replica identity, whose UPDATE and DELETE replication would refuse: " + Lists.some(missing)
                + ": add a primary key, ALTER TABLE … REPLICA IDENTITY USING INDEX, or pass --replica-identity-full");
    }

    /**
     * No publication, slot or subscription of this migration's name exists yet: one that does is
     * another run's (same name, maybe another database), or a killed run's, and teardown must never take it.
     */
    private Check namesFree(Db src, Db tgt) {
        String name = options.names().name();
        List<String> taken = new ArrayList<>();
        taken.addAll(src.list("SELECT 'replication slot ' || slot_name || ' (database ' || coalesce(database::text, '-') || ', '"
                + " || CASE WHEN active THEN 'in use' ELSE 'idle' END || ') on the source' FROM pg_replication_slots WHERE slot_name = ?",
                rs -> rs.getString(1), name));
        taken.addAll(src.list("SELECT 'publication ' || pubname || coalesce(' (' || split_part(obj_description(oid, 'pg_publication'), E'\n', 1) || ')', '')"
                + " || ' in the source database' FROM pg_publication WHERE pubname = ?", rs -> rs.getString(1), name));
        taken.addAll(tgt.list("SELECT 'subscription ' || subname || coalesce(' (' || obj_description(oid, 'pg_subscription') || ')', '')"
                + " || ' on the target server' FROM pg_subscription WHERE subname = ?", rs -> rs.getString(1), name));
        if (!taken.isEmpty()) {
            return Check.fail("logical: names", ExitCode.CHECK_FAILED, String.join("; ", taken) + " already exist(s): another run uses the"
                    + " name " + name + ", or a killed one left it; choose another --migration, or drop a killed run's objects with"
                    + " pgrelocate rollback --source URI --target URI");
        }
        return Check.pass("logical: names", "publication, slot and subscription " + name + " are free");
    }

    /** The subscription's apply worker needs a free logical replication worker on the target. */
    private static Check applyWorkers(Db tgt, ConnectionSpec target) {
        long max = tgt.longValue("SELECT current_setting('max_logical_replication_workers')::bigint");
        long used = tgt.longValue("SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL");
        if (max - used < 1) {
            return Check.fail("logical: apply workers", ExitCode.CHECK_FAILED, "target " + target.display() + " runs " + used
                    + " of max_logical_replication_workers=" + max + ": raise it (a restart; CNPG: spec.postgresql.parameters)"
                    + " or drop an unused subscription");
        }
        return Check.pass("logical: apply workers", (max - used) + " of max_logical_replication_workers=" + max + " free");
    }

    private static Check subscribePrivilege(Db tgt, ConnectionSpec target) {
        boolean allowed = tgt.text("""
                SELECT (current_setting('is_superuser') = 'on'
                        OR EXISTS (SELECT 1 FROM pg_roles m WHERE m.rolname = 'pg_create_subscription'
                                     AND pg_has_role(current_user, m.oid, 'MEMBER')))::text
                """).equals("true");
        if (!allowed) {
            return Check.fail("logical: subscription", ExitCode.PRIVILEGES, "target user " + target.user()
                    + " may not create a subscription: use a superuser (CNPG: the postgres user), or on PostgreSQL 16+"
                    + " GRANT pg_create_subscription and CREATE on the database");
        }
        return Check.pass("logical: subscription", target.user() + " may subscribe");
    }
}
