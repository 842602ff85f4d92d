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
 * @param publisherPassfile   a libpq passfile on the target's host holding the source's password (CNPG: the
 *                            {@code /controller/external/NAME/pass} of an externalCluster with a password), so the
 *                            subscription's connection string names the file, not the password; null: the password
 */
public record LogicalOptions(LogicalNames names, ObjectFilter filter, boolean replicaIdentityFull, boolean allowNonEmpty,
                             long maxLag, Duration reportEvery, ConnectionSpec publisher, String publisherPassfile) {
    public static final long DEFAULT_MAX_LAG = 16L * 1024 * 1024;
    /** Where the Job and the CLI take {@link #publisherPassfile} from. */
    public static final String PUBLISHER_PASSFILE_ENV = "PGRELOCATE_PUBLISHER_PASSFILE";

    public static LogicalOptions defaults(String migration, ObjectFilter filter) {
        return new LogicalOptions(LogicalNames.of(migration), filter, false, false, DEFAULT_MAX_LAG, Duration.ofSeconds(5), null, null);
    }

    public LogicalOptions withReplicaIdentityFull(boolean consent) {
        return new LogicalOptions(names, filter, consent, allowNonEmpty, maxLag, reportEvery, publisher, publisherPassfile);
    }

    public LogicalOptions withMaxLag(long bytes) {
        return new LogicalOptions(names, filter, replicaIdentityFull, allowNonEmpty, bytes, reportEvery, publisher, publisherPassfile);
    }

    public LogicalOptions withReportEvery(Duration every) {
        return new LogicalOptions(names, filter, replicaIdentityFull, allowNonEmpty, maxLag, every, publisher, publisherPassfile);
    }

    public LogicalOptions withPublisher(ConnectionSpec spec) {
        return new LogicalOptions(names, filter, replicaIdentityFull, allowNonEmpty, maxLag, reportEvery, spec, publisherPassfile);
    }

    /** {@code path} blank or null: the password goes into the subscription's connection string. */
    public LogicalOptions withPublisherPassfile(String path) {
        return new LogicalOptions(names, filter, replicaIdentityFull, allowNonEmpty, maxLag, reportEvery, publisher,
                path == null || path.isBlank() ? null : path);
    }
}
