package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.preflight.Check;

/**
 * The passfile the subscription names ({@link LogicalOptions#publisherPassfile()}) is a path on the
 * target's host, read by the target server's own libpq: preflight asks that server whether the file
 * is there, where the target user may ask (superuser or pg_read_server_files); libpq ignores a
 * passfile that group or others may read, which only the first connection can tell.
 */
final class PassfileCheck {
    static final String NAME = "logical: publisher passfile";

    private PassfileCheck() {
    }

    static Check of(Db tgt, String path) {
        if (!path.startsWith("/")) {
            return Check.fail(NAME, ExitCode.BAD_SETTINGS, LogicalOptions.PUBLISHER_PASSFILE_ENV + "=" + path
                    + " is not an absolute path on the target's host (CNPG: /controller/external/NAME/pass)");
        }
        try {
            Long size = tgt.one("SELECT (pg_stat_file(?, true)).size", rs -> (Long) rs.getObject(1), path);
            if (size == null) {
                return Check.fail(NAME, ExitCode.CHECK_FAILED, "no file " + path + " on the target's host: the subscription would"
                        + " connect without the source's password (CNPG writes /controller/external/NAME/pass for an externalCluster"
                        + " with a password Secret)");
            }
            return Check.pass(NAME, path + " is on the target's host (" + size + " bytes): the subscription's connection string"
                    + " names it instead of the source password");
        } catch (DbException e) {
            return Check.pass(NAME, "the target user may not look at " + path + " (" + e.getMessage() + "): the subscription names it"
                    + " instead of the source password; a missing or unreadable file makes CREATE SUBSCRIPTION fail to log in");
        }
    }
}
