package io.pgrelocate.controller;

import io.pgrelocate.engine.cnpg.BackupTarget;
import picocli.CommandLine.Option;

/** Where a `--variant promoted` cluster keeps base backups and WAL. */
class BackupOptions {
    @Option(names = "--backup-destination", paramLabel = "URL", description = "promoted: object store path, e.g. s3://bucket/shop-db.")
    String destination;

    @Option(names = "--backup-endpoint", paramLabel = "URL", description = "promoted: S3 endpoint for MinIO, Ceph… (default: AWS S3).")
    String endpoint;

    @Option(names = "--backup-secret", paramLabel = "SECRET", description = "promoted: Secret with ACCESS_KEY_ID and ACCESS_SECRET_KEY.")
    String secret;

    @Option(names = "--backup-retention", defaultValue = "30d", paramLabel = "PERIOD", description = "promoted: how long backups are kept (default: ${DEFAULT-VALUE}).")
    String retention;

    BackupTarget target() {
        return new BackupTarget(destination, endpoint, secret, retention);
    }
}
