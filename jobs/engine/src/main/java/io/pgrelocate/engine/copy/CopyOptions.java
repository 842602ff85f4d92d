package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.roles.RolePasswords;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.nio.file.Path;

/**
 * How the copy runs.
 *
 * @param strategy      how the data moves (dump, stream, logical)
 * @param jobs          parallel workers for pg_dump and pg_restore
 * @param workDir       the parent of each run's private directory, which holds the dump (needs room for the data)
 * @param compressLevel pg_dump -Z; 0 by default because the dump is transient and CPU is the bottleneck
 * @param keepOwnership keep owners and grants (carries the roles to the target first), or --no-owner --no-acl
 * @param filter        schemas and extensions left behind
 * @param tools         where pg_dump/pg_restore come from
 * @param analyze       run ANALYZE on the target afterwards so the applications get good plans at once
 * @param rolePasswords with {@code keepOwnership}: carry the roles' stored password verifiers, or leave passwords to a target Secret
 */
public record CopyOptions(Strategy strategy, int jobs, Path workDir, int compressLevel, boolean keepOwnership,
                          ObjectFilter filter, PgTools tools, boolean analyze, RolePasswords rolePasswords) {
    /** Carrying the passwords. */
    public CopyOptions(Strategy strategy, int jobs, Path workDir, int compressLevel, boolean keepOwnership,
                       ObjectFilter filter, PgTools tools, boolean analyze) {
        this(strategy, jobs, workDir, compressLevel, keepOwnership, filter, tools, analyze, RolePasswords.CARRY);
    }

    /** The dump strategy. */
    public CopyOptions(int jobs, Path workDir, int compressLevel, boolean keepOwnership,
                       ObjectFilter filter, PgTools tools, boolean analyze) {
        this(Strategy.DUMP, jobs, workDir, compressLevel, keepOwnership, filter, tools, analyze);
    }

    public CopyOptions {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy is required");
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
        if (rolePasswords == null) {
            rolePasswords = RolePasswords.CARRY;
        }
        if (compressLevel < 0 || compressLevel > 9) {
            throw new IllegalArgumentException("compress level must be 0..9");
        }
    }

    public CopyOptions withStrategy(Strategy s) {
        return new CopyOptions(s, jobs, workDir, compressLevel, keepOwnership, filter, tools, analyze, rolePasswords);
    }
}
