package io.pgrelocate.engine.runbook;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.mysql.MysqlMigration;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.mysql.MysqlUri;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.switchover.Applications;

import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One migration, whatever engine the source runs: the CLI and the migration Job call this and never
 * choose a runbook themselves. A PostgreSQL source runs {@link Migration}; a {@code mysql://} or
 * {@code mariadb://} source runs {@link MysqlMigration}; both drive the same switchover window.
 */
public interface Runbook {
    /** Preflight only. */
    MigrationReport preflight();

    /** Preflight, then (unless {@code dryRun}) the window with {@code apps}, or a plain copy with {@link Applications#NONE}, and verify. */
    MigrationReport migrate(boolean dryRun, Applications apps);

    /** Compares source and target, changing neither. */
    MigrationReport verify();

    /** {@code replicate}: a logical replication set up and left streaming; PostgreSQL sources only. */
    default MigrationReport replicate(boolean dryRun, boolean detach) {
        throw new EngineException(ExitCode.BAD_SETTINGS, "replicate needs a PostgreSQL source (logical replication)");
    }

    /** {@code abort}: drops the replication a {@code replicate} run left (subscription, slot, publication, record); the copied rows stay. */
    default MigrationReport abortReplication(boolean dryRun) {
        throw new EngineException(ExitCode.BAD_SETTINGS, "abort needs a PostgreSQL source (logical replication)");
    }

    /** {@code switch}: the window on the replication a {@code replicate} run left, at {@code at} (null: now); PostgreSQL sources only. */
    default MigrationReport switchOver(boolean dryRun, Applications apps, java.time.Instant at) {
        throw new EngineException(ExitCode.BAD_SETTINGS, "switch needs a PostgreSQL source (logical replication)");
    }

    /**
     * The runbook for {@code sourceUri}; only its engine's settings are built (so a settings error
     * names what that engine needs).
     */
    static Runbook of(String sourceUri, Supplier<MigrationSettings> postgres, Supplier<MysqlMigrationSettings> mysql,
                      Consumer<String> out, Clock clock) {
        if (!MysqlUri.isMysql(sourceUri)) {
            return new Migration(postgres.get(), out, clock);
        }
        MysqlMigration m = new MysqlMigration(mysql.get(), out, clock);
        return new Runbook() {
            @Override
            public MigrationReport preflight() {
                return m.migrate(true); // MySQL's preflight is its dry run: checks and the plan, nothing written
            }

            @Override
            public MigrationReport migrate(boolean dryRun, Applications apps) {
                return m.migrate(dryRun, apps);
            }

            @Override
            public MigrationReport verify() {
                return m.verify();
            }
        };
    }
}
