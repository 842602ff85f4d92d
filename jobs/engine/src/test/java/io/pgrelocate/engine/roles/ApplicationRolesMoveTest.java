package io.pgrelocate.engine.roles;

import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.verify.Verifier;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The applications' roles move with the data between two real PostgreSQL 15 servers: created with
 * their attributes and memberships, their passwords carried as stored verifiers (the plaintext is
 * known only to this test), owners and grants kept by default; verify names a lost grant; the
 * applications' logins are proven after the copy and rehearsed by preflight before anything changes.
 */
class ApplicationRolesMoveTest {
    private final LocalPostgres source = TestServers.pg15();
    private final LocalPostgres target = TestServers.pg15Logical();  // another server: roles do not exist there yet
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String owner = "app_" + suffix;
    private final String readers = "readers_" + suffix;
    private final String web = "web_" + suffix;
    private final String ownerPassword = "pw-" + UUID.randomUUID();
    private final String webPassword = "pw-" + UUID.randomUUID();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** An application database: its tables owned by an application role, read by a group whose member logs in. */
    private String sourceDatabase() {
        source.executeSql("postgres", "CREATE ROLE " + owner + " LOGIN CREATEDB CONNECTION LIMIT 7 PASSWORD '" + ownerPassword + "';"
                + "CREATE ROLE " + readers + " NOLOGIN; CREATE ROLE " + web + " LOGIN PASSWORD '" + webPassword + "' IN ROLE " + readers);
        String db = "roles_src_" + suffix;
        source.createDatabase(db, owner);  // as Zalando makes it: the application owns its database
        source.executeSql("postgres", "ALTER ROLE " + owner + " SET statement_timeout = '42s'; ALTER ROLE " + owner + " IN DATABASE " + db
                + " SET search_path = \"$user\", app, public");
        source.executeSql(db, """
                CREATE TABLE public.statuses (id bigserial PRIMARY KEY, body text NOT NULL);
                INSERT INTO public.statuses (body) SELECT 'status ' || g FROM generate_series(1, 50) g;
                ALTER TABLE public.statuses OWNER TO {owner};
                ALTER SEQUENCE public.statuses_id_seq OWNER TO {owner};
                GRANT SELECT ON public.statuses TO {readers};
                ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT SELECT ON TABLES TO {readers};
                """.replace("{owner}", owner).replace("{readers}", readers));
        return db;
    }

    private MigrationSettings settings(String src, String dst, CopyOptions copy) {
        return new MigrationSettings(TestServers.spec(source, src), TestServers.spec(target, dst), copy, false);
    }

    private static CopyOptions keeping(RolePasswords passwords) {
        return new CopyOptions(Strategy.STREAM, 2, TestServers.workDir(), 0, true, ObjectFilter.SPILO_DEFAULT, PgTools.locate(null), true,
                passwords);
    }

    private MigrationReport migrate(MigrationSettings settings) {
        return new Migration(settings, lines::add, Clock.systemUTC()).migrate(false);
    }

    @Test
    void carriedPasswordsLogInOnTheTargetAndVerifyComparesWhoMayDoWhat() throws SQLException {
        String src = sourceDatabase();
        String dst = TestServers.freshDatabase(target, "roles_dst");

        MigrationReport report = migrate(settings(src, dst, keeping(RolePasswords.CARRY)));

        assertThat(report.exitCode()).as(() -> io.pgrelocate.engine.report.Summary.of(report)).isZero();
        assertThat(report.verify().differences()).isEmpty();
        assertThat(report.copy().rolesCreated()).contains(owner, readers, web);
        try (Connection c = login(dst, owner, ownerPassword); Statement st = c.createStatement()) {
            st.execute("INSERT INTO public.statuses (body) VALUES ('written by the application on the target')");
            assertThat(one(st, "SELECT count(*)::text FROM public.statuses")).isEqualTo("51");
            assertThat(one(st, "SELECT rolcreatedb::text || ' ' || rolconnlimit FROM pg_roles WHERE rolname = current_user")).isEqualTo("true 7");
            assertThat(one(st, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")).isEqualTo(owner);
            assertThat(one(st, "SELECT current_setting('statement_timeout') || ' ' || current_setting('search_path')"))
                    .isEqualTo("42s \"$user\", app, public");
            st.execute("CREATE TABLE public.made_by_the_apps_migration (id int)");  // CREATE in public, as the database's owner
            assertThat(one(st, "SELECT has_table_privilege('" + readers + "', 'public.made_by_the_apps_migration', 'SELECT')::text"))
                    .as("default privileges carried").isEqualTo("true");
            st.execute("DROP TABLE public.made_by_the_apps_migration");
        }
        try (Connection c = login(dst, web, webPassword); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT count(*)::text FROM public.statuses")).isEqualTo("51");  // through its group
        }
        assertThatThrownBy(() -> login(dst, web, ownerPassword).close()).hasMessageContaining("password authentication failed");
        assertThat(String.join("\n", lines)).doesNotContain("SCRAM-SHA-256$", ownerPassword, webPassword)
                .contains("passwords carried as stored verifiers for");

        target.executeSql(dst, "REVOKE SELECT ON public.statuses FROM " + readers);
        List<Difference> lost = verify(src, dst);
        assertThat(lost).extracting(Difference::describe)
                .containsExactly("privilege table public.statuses for " + readers + ": source SELECT, target absent");

        AppLogins logins = new AppLogins(TestServers.spec(source, src), ObjectFilter.SPILO_DEFAULT);
        List<AppLogins.Result> proof = logins.prove(List.of(app("mastodon-web", dst, web, webPassword), app("mastodon-sidekiq", dst, owner, ownerPassword)));
        assertThat(proof.get(0).passed()).isFalse();
        assertThat(proof.get(0).line()).startsWith("app mastodon-web: user " + web + ": logged in, but cannot read public.statuses")
                .contains("permission denied for table statuses").doesNotContain(webPassword);
        assertThat(proof.get(1).passed()).as(proof.get(1).line()).isTrue();
        assertThat(proof.get(1).reason()).contains("read 1 table");

        target.executeSql(dst, "GRANT SELECT ON public.statuses TO " + readers + "; ALTER TABLE public.statuses OWNER TO " + web);
        assertThat(verify(src, dst)).extracting(Difference::describe)
                .contains("privilege table public.statuses owner: source " + owner + ", target " + web);
    }

    @Test
    void theLogicalStrategyCarriesTheRolesBeforeItsSchemaToo() throws SQLException {
        // the other way round: the wal_level=logical server is the source here
        LocalPostgres logicalSource = TestServers.pg15Logical();
        logicalSource.executeSql("postgres", "CREATE ROLE " + owner + " LOGIN PASSWORD '" + ownerPassword + "'");
        String src = "roles_lsrc_" + suffix;
        logicalSource.createDatabase(src, owner);
        logicalSource.executeSql(src, "CREATE TABLE public.statuses (id bigserial PRIMARY KEY, body text); ALTER TABLE public.statuses OWNER TO "
                + owner + "; INSERT INTO public.statuses (body) VALUES ('copied by the subscription')");
        String dst = TestServers.freshDatabase(source, "roles_ldst");
        MigrationSettings settings = new MigrationSettings(TestServers.spec(logicalSource, src), TestServers.spec(source, dst),
                keeping(RolePasswords.CARRY).withStrategy(Strategy.LOGICAL), false);

        MigrationReport report = new Migration(settings, lines::add, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());

        assertThat(report.exitCode()).as(() -> io.pgrelocate.engine.report.Summary.of(report)).isZero();
        try (Connection c = DriverManager.getConnection(TestServers.jdbcUrl(source, dst), owner, ownerPassword); Statement st = c.createStatement()) {
            st.execute("INSERT INTO public.statuses (body) VALUES ('written on the target')");
            assertThat(one(st, "SELECT count(*)::text FROM public.statuses")).isEqualTo("2");
        }
    }

    @Test
    void preflightStopsBeforeTheFreezeForAnApplicationWhoseLoginWouldFail() throws SQLException {
        String src = sourceDatabase();
        String dst = TestServers.freshDatabase(target, "roles_dst");
        MigrationSettings settings = settings(src, dst, keeping(RolePasswords.CARRY)).withAppLogins(List.of(
                app("mastodon-sidekiq", dst, owner, ownerPassword),
                app("mastodon-web", dst, web, "an-old-password")));

        MigrationReport report = new Migration(settings, lines::add, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());

        assertThat(report.exitCode()).isEqualTo(ExitCode.CHECK_FAILED.code());
        assertThat(report.error()).doesNotContain("\n", "an-old-password")
                .contains("app mastodon-web: user " + web + ": its password does not match role " + web + "'s password on the source");
        assertThat(report.preflight()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("app mastodon-sidekiq");
            assertThat(c.passed()).isTrue();
            assertThat(c.message()).contains("will log in once role " + owner + " is carried with its SCRAM password");
        });
        try (Connection c = source.connect(src); Statement st = c.createStatement()) {
            st.execute("INSERT INTO public.statuses (body) VALUES ('the source is not fenced')");  // nothing changed
        }
        try (Connection c = target.connect(dst); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT count(*)::text FROM pg_class WHERE relname = 'statuses'")).isEqualTo("0");
        }
    }

    @Test
    void theWindowPutsTheApplicationsBackOnTheSourceWhenOneCannotReadOnTheTarget() throws SQLException {
        String src = sourceDatabase();
        String dst = TestServers.freshDatabase(source, "roles_dst");  // the same server: the roles exist, so preflight's login passes
        source.executeSql(src, "GRANT INSERT ON public.statuses TO " + readers + "; GRANT USAGE ON SEQUENCE public.statuses_id_seq TO " + readers);
        MigrationSettings settings = new MigrationSettings(TestServers.spec(source, src), TestServers.spec(source, dst),
                TestServers.copyOptions(TestServers.workDir(), false), false)  // --no-keep-ownership: no grant moves
                .withAppLogins(List.of(AppLogin.onTarget("mastodon-web", TestServers.spec(source, dst), web, () -> webPassword, dst)));

        MigrationReport report = new Migration(settings, lines::add, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());

        assertThat(report.exitCode()).isEqualTo(ExitCode.CHECK_FAILED.code());
        assertThat(report.error()).contains("app mastodon-web: user " + web + ": logged in, but cannot read public.statuses",
                "permission denied").doesNotContain(webPassword);
        assertThat(report.preflight()).anySatisfy(c -> assertThat(c.line()).startsWith("app mastodon-web: user " + web + ": logs in on the target"));
        try (Connection c = DriverManager.getConnection(TestServers.jdbcUrl(source, src), web, webPassword); Statement st = c.createStatement()) {
            st.execute("INSERT INTO public.statuses (body) VALUES ('the application writes on the source again')");  // the fence was lifted
        }
    }

    @Test
    void passwordsThatCannotMoveAreNamedUnlessTheApplicationsUseATargetSecret() {
        String src = sourceDatabase();
        String dst = TestServers.freshDatabase(target, "roles_dst");
        String migrator = TestServers.loginRole(source, "migrator", "migrator-pw");
        source.executeSql(src, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + migrator + "; GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO "
                + migrator);  // reads the data, not pg_authid (pg_read_all_data would read that too)
        ConnectionSpec plainSource = ConnectionSpec.parse("postgresql://" + migrator + "@" + source.host() + ":" + source.port() + "/" + src)
                .withPassword(io.pgrelocate.engine.settings.Secret.of("migrator-pw"));
        MigrationSettings carry = new MigrationSettings(plainSource, TestServers.spec(target, dst), keeping(RolePasswords.CARRY), false);

        MigrationReport refused = new Migration(carry, lines::add, Clock.systemUTC()).preflight();

        assertThat(refused.exitCode()).as(() -> io.pgrelocate.engine.report.Summary.of(refused)).isEqualTo(ExitCode.CHECK_FAILED.code());
        assertThat(refused.error()).contains("the passwords of " + owner + ", " + web, "may not read pg_authid", "target-secret");

        MigrationSettings secret = new MigrationSettings(plainSource, TestServers.spec(target, dst), keeping(RolePasswords.TARGET_SECRET), false);
        MigrationReport allowed = new Migration(secret, lines::add, Clock.systemUTC()).preflight();
        assertThat(allowed.exitCode()).as(allowed.error()).isZero();
    }

    private AppLogin app(String name, String database, String user, String password) {
        return AppLogin.onTarget(name, TestServers.spec(target, database), user, () -> password, database);
    }

    /** Who may do what (the application wrote a row on the target, which is a difference of its own). */
    private List<Difference> verify(String src, String dst) {
        return new Verifier(ObjectFilter.SPILO_DEFAULT, lines::add).comparingPrivileges(true)
                .verify(TestServers.spec(source, src), TestServers.spec(target, dst)).differences().stream()
                .filter(d -> d.kind().equals("privilege")).toList();
    }

    private Connection login(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(TestServers.jdbcUrl(target, database), user, password);
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
