package io.pgrelocate.manifests;

import java.util.List;
import java.util.Set;

/** The five job templates and what each may do. */
final class PgrelocateJobs {

    static final List<String> ALL = List.of("backup-test", "cnpg-prepare", "migration", "validation", "cleanup");

    /** Jobs that talk to PostgreSQL only: no Role, no token. */
    static final Set<String> WITHOUT_API = Set.of("backup-test", "cnpg-prepare");

    private PgrelocateJobs() {
    }

    /** For parameterized tests. */
    static List<String> all() {
        return ALL;
    }

    /** CronJob, ServiceAccount, Role and RoleBinding of a job share this name. */
    static String objectName(String job) {
        return "pgrelocate-" + job;
    }
}
