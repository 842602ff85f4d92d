package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Duration;

/**
 * How the logical strategy runs.
 *
 * @param names               publication, slot and subscription names of this migration
 * @param filter              schemas and extensions left behind (their tables are not published)
 * @param replicaIdentityFull consent to {@code ALTER TABLE … REPLICA IDENTITY FULL} on source tables that have no key
 * @param allowNonEmpty       accept a target that already holds objects
 * @param maxLag              lag (bytes) at or below which the catch-up is ready to switch
 * @param reportEvery         how often the catch-up prints its progress
 * @param publisher           the source as the target server reaches it (its host may differ from ours); null: the source
 */
public record LogicalOptions(LogicalNames names, ObjectFilter filter, boolean replicaIdentityFull, boolean allowNonEmpty,
                             long maxLag, Duration reportEvery, ConnectionSpec publisher) {
    public static final long DEFAULT_MAX_LAG = 16L * 1024 * 1024;

    public static LogicalOptions defaults(String migration, ObjectFilter filter) {
        return new LogicalOptions(LogicalNames.of(migration), filter, false, false, DEFAULT_MAX_LAG, Duration.ofSeconds(5), null);
    }

    public LogicalOptions withReplicaIdentityFull(boolean consent) {
        return new LogicalOptions(names, filter, consent, allowNonEmpty, maxLag, reportEvery, publisher);
    }

    public LogicalOptions withMaxLag(long bytes) {
        return new LogicalOptions(names, filter, replicaIdentityFull, allowNonEmpty, bytes, reportEvery, publisher);
    }

    public LogicalOptions withReportEvery(Duration every) {
        return new LogicalOptions(names, filter, replicaIdentityFull, allowNonEmpty, maxLag, every, publisher);
    }

    public LogicalOptions withPublisher(ConnectionSpec spec) {
        return new LogicalOptions(names, filter, replicaIdentityFull, allowNonEmpty, maxLag, reportEvery, spec);
    }
}
