package io.pgrelocate.engine.cnpg;

import io.pgrelocate.engine.settings.SettingsException;

/**
 * Where the promoted cluster sends base backups and WAL: an S3-compatible object store.
 *
 * @param endpointUrl       null for AWS S3 itself; set for MinIO, Ceph and the like
 * @param credentialsSecret Secret with keys ACCESS_KEY_ID and ACCESS_SECRET_KEY, as in CNPG's examples
 * @param retention         how long backups are kept, e.g. {@code 30d}
 */
public record BackupTarget(String destinationPath, String endpointUrl, String credentialsSecret, String retention) {
    public BackupTarget {
        if (destinationPath == null || !destinationPath.matches("[a-z0-9]+://.+")) {
            throw new SettingsException("backup destination \"" + destinationPath + "\" is not a URL such as s3://bucket/path");
        }
        if (credentialsSecret == null || credentialsSecret.isBlank()) {
            throw new SettingsException("backup needs the Secret with the object store credentials");
        }
        retention = retention == null || retention.isBlank() ? "30d" : retention;
        if (!retention.matches("[1-9][0-9]*[dwm]")) {
            throw new SettingsException("backup retention \"" + retention + "\" is not a number of days, weeks or months (30d, 4w, 6m)");
        }
    }
}
