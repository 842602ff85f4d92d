package io.pgrelocate.engine.cnpg;

import java.util.Map;

/**
 * {@code spec.backup} with CNPG's in-tree barman object store: setting it turns on WAL archiving to the same
 * store, so point-in-time recovery works from the first base backup on. (The barman-cloud plugin form
 * needs an ObjectStore resource from a separate plugin; the in-tree form needs nothing else installed.)
 */
public final class BackupSection {
    static final String ACCESS_KEY_ID = "ACCESS_KEY_ID";
    static final String ACCESS_SECRET_KEY = "ACCESS_SECRET_KEY";

    private BackupSection() {
    }

    public static Map<String, Object> desired(BackupTarget target) {
        Map<String, Object> credentials = Fields.of(
                "accessKeyId", Fields.of("name", target.credentialsSecret(), "key", ACCESS_KEY_ID),
                "secretAccessKey", Fields.of("name", target.credentialsSecret(), "key", ACCESS_SECRET_KEY));
        Map<String, Object> store = Fields.of(
                "destinationPath", target.destinationPath(),
                "endpointURL", target.endpointUrl(),
                "s3Credentials", credentials,
                "wal", Fields.of("compression", "gzip", "maxParallel", 2),
                "data", Fields.of("compression", "gzip"));
        return Fields.of("retentionPolicy", target.retention(), "barmanObjectStore", store);
    }
}
