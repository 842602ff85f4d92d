package io.pgrelocate.jobs.support;

import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.mysql.MysqlUri;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.TypeOverrides;
import io.pgrelocate.engine.roles.AppLogin;
import io.pgrelocate.engine.roles.RolePasswords;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.verify.VerifyMode;

import java.util.List;

/**
 * Turns a Job's {@link JobSettings} into the engine's settings. A password is taken from, in this
 * order: the URI itself, {@code PGRELOCATE_<SIDE>_PASSWORD}, {@code PGRELOCATE_<SIDE>_PASSWORD_FILE},
 * a pgpass file ({@code PGPASSFILE} or {@code ~/.pgpass}).
 */
public final class JobSettingsAdapter {
    private final PasswordSource passwords;

    public JobSettingsAdapter(PasswordSource passwords) {
        this.passwords = passwords;
    }

    public static JobSettingsAdapter fromSystem() {
        return new JobSettingsAdapter(PasswordSource.fromSystem());
    }

    /** Source and target, for the jobs that touch both. */
    public MigrationSettings migrationSettings(JobSettings s) {
        ConnectionSpec target = target(s);
        List<AppLogin> apps;
        try {
            apps = AppLogin.parse(s.appLogins().orElse(List.of()), target, System::getenv);
        } catch (SettingsException e) {
            throw new SettingsException("PGRELOCATE_APP_LOGINS: " + e.getMessage());
        }
        return new MigrationSettings(source(s), target, copyOptions(s), s.allowNonEmpty(), verifyMode(s),
                s.schemaHook().orElse(null), logical(s), apps);
    }

    /** Whether the source is a MySQL or MariaDB server. */
    public static boolean mysqlSource(JobSettings s) {
        return s.source().uri().map(MysqlUri::isMysql).orElse(false);
    }

    /** A MySQL/MariaDB source into one schema of the target; the password as for PostgreSQL sources. */
    public MysqlMigrationSettings mysqlSettings(JobSettings s) {
        JobSettings.Endpoint e = s.source();
        MysqlSource source;
        try {
            source = MysqlUri.parse(e.uri().orElseThrow());
        } catch (SettingsException ex) {
            throw new SettingsException("PGRELOCATE_SOURCE_URI: " + ex.getMessage());
        }
        if (source.connection().password() == null && e.password().isPresent()) {
            source = new MysqlSource(source.connection().withPassword(Secret.of(e.password().get())), source.flavour());
        }
        return new MysqlMigrationSettings(source.complete(passwords, e.passwordFile().orElse(null), null), target(s), s.schema(),
                s.jobs(), false, PgNames.Case.LOWER, TypeOverrides.NONE);
    }

    public ConnectionSpec source(JobSettings s) {
        return connection("source", s.source());
    }

    public ConnectionSpec target(JobSettings s) {
        return connection("target", s.target());
    }

    public static CopyOptions copyOptions(JobSettings s) {
        if (s.jobs() < 1) {
            throw new SettingsException("PGRELOCATE_JOBS must be at least 1, not " + s.jobs());
        }
        if (s.compress() < 0 || s.compress() > 9) {
            throw new SettingsException("PGRELOCATE_COMPRESS must be 0..9, not " + s.compress());
        }
        RolePasswords rolePasswords;
        try {
            rolePasswords = RolePasswords.parse(s.rolePasswords());
        } catch (SettingsException e) {
            throw new SettingsException("PGRELOCATE_ROLE_PASSWORDS: " + e.getMessage());
        }
        return new CopyOptions(strategy(s), s.jobs(), s.workDir(), s.compress(), s.keepOwnership(), filter(s.exclude().orElse(null)),
                PgTools.locate(s.pgBin().orElse(null)), s.analyze(), rolePasswords);
    }

    private static LogicalSettings logical(JobSettings s) {
        long maxLag;
        try {
            maxLag = LogicalSettings.parseSize(s.maxLag());
        } catch (SettingsException e) {
            throw new SettingsException("PGRELOCATE_MAX_LAG: " + e.getMessage());
        }
        return new LogicalSettings(s.migration().orElse(LogicalSettings.DEFAULTS.migration()), maxLag, s.catchUpTimeout(),
                s.drainTimeout(), s.replicaIdentityFull());
    }

    private static VerifyMode verifyMode(JobSettings s) {
        if (s.verify().isEmpty()) {
            return null;
        }
        try {
            return VerifyMode.parse(s.verify().get());
        } catch (SettingsException e) {
            throw new SettingsException("PGRELOCATE_VERIFY: " + e.getMessage());
        }
    }

    private static Strategy strategy(JobSettings s) {
        try {
            return Strategy.parse(s.strategy());
        } catch (SettingsException e) {
            throw new SettingsException("PGRELOCATE_STRATEGY: " + e.getMessage());
        }
    }

    /** Absent: the Spilo default; {@code none}: nothing left behind; otherwise {@link ObjectFilter#parse}. */
    public static ObjectFilter filter(List<String> exclude) {
        if (exclude == null) {
            return ObjectFilter.SPILO_DEFAULT;
        }
        if (exclude.stream().map(String::trim).allMatch(e -> e.isEmpty() || e.equalsIgnoreCase("none"))) {
            return ObjectFilter.NONE;
        }
        return ObjectFilter.parse(exclude);
    }

    private ConnectionSpec connection(String side, JobSettings.Endpoint e) {
        String env = "PGRELOCATE_" + side.toUpperCase(java.util.Locale.ROOT);
        String uri = e.uri().filter(u -> !u.isBlank()).orElseThrow(() -> new SettingsException(
                env + "_URI is not set: give the " + side + " as a libpq URI, e.g. postgresql://user@host:5432/db?sslmode=require"));
        ConnectionSpec spec;
        try {
            spec = ConnectionSpec.parse(uri);
        } catch (SettingsException ex) {
            throw new SettingsException(env + "_URI: " + ex.getMessage());
        }
        if (spec.password() == null && e.password().isPresent()) {
            spec = spec.withPassword(Secret.of(e.password().get()));
        }
        return passwords.complete(spec, e.passwordFile().orElse(null), null);
    }
}
