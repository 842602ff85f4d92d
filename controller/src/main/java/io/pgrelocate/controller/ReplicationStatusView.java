package io.pgrelocate.controller;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.copy.logical.ReplicationStatus;
import io.pgrelocate.engine.copy.logical.ReverseStream;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.SettingsException;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/** status --source --target: a logical replication read from the two servers, with no pgrelocate process running. */
final class ReplicationStatusView {
    private ReplicationStatusView() {
    }

    static int show(SourceOption source, TargetOption target, String migration, String maxLag, Duration sample, PrintWriter out, PrintWriter err) {
        try {
            ConnectionSpec tgt = target.specOrNull();
            if (tgt == null) {
                throw new SettingsException("status of a replication needs --target too (the subscription and the run's record are there)");
            }
            ConnectionSpec src = source.spec().orElseThrow();
            String name = migration != null ? migration : LogicalSettings.DEFAULTS.migration();
            if (reverseStreamOnly(src, name)) {
                // after a logical switch only the way back streams: its lag and the WAL it keeps on the target
                out.println(new ReverseStream(src, tgt, name, line -> { }).statusLine());
                out.flush();
                return ExitCode.OK.code();
            }
            ReplicationStatus.Report r = new ReplicationStatus(src, tgt, name, LogicalSettings.parseSize(maxLag),
                    Clock.systemUTC()).read(sample);
            r.lines().forEach(out::println);
            out.flush();
            return ExitCode.OK.code();
        } catch (SettingsException | IllegalArgumentException e) {
            return fail(err, e.getMessage(), ExitCode.BAD_SETTINGS);
        } catch (EngineException e) {
            return fail(err, e.getMessage(), e.exitCode());
        } catch (DbConnectException e) {
            return fail(err, e.getMessage(), e.exitCode());
        } catch (DbException e) {
            return fail(err, e.getMessage(), ExitCode.REPLICATION);
        }
    }

    private static boolean reverseStreamOnly(ConnectionSpec source, String migration) {
        try (Db src = Db.connect(source)) {
            return ReverseStream.exists(src, migration);
        }
    }

    static int fail(PrintWriter err, String message, ExitCode code) {
        err.println("error: " + message);
        err.flush();
        return code.code();
    }
}
