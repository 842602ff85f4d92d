package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.testing.ServerUser;
import io.pgrelocate.engine.testing.TestServers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a passfile on the target's host (what CNPG writes for an externalCluster with a password), the
 * subscription's connection string in the target's catalog names the file and never holds the source
 * password, and the replication works; preflight refuses a passfile that is not there.
 */
class PublisherPassfileTest {
    @Test
    void theSubscriptionNamesThePassfileAndTheCatalogNeverHoldsThePassword() throws Exception {
        LogicalPair pair = new LogicalPair("pp_file");
        pair.source("CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100)");
        Path dir = ServerUser.directory("pgrelocate-passfile-");
        Path passfile = dir.resolve("pass");
        try {
            // the target server's libpq reads it: the server's OS user owns it, nobody else may read it
            Files.writeString(passfile, pair.source().host() + ":" + pair.source().port() + ":" + pair.sourceDb + ":"
                    + pair.source().user() + ":" + TestServers.PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n");
            Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
            ServerUser.give(passfile);
            LogicalOptions options = pair.options().withPublisherPassfile(passfile.toString());

            Check check = check(pair, options);
            assertThat(check.passed()).isTrue();
            assertThat(check.message()).startsWith(passfile + " is on the target's host (");

            try (LogicalStrategy logical = pair.withDumpRestore(options)) {
                logical.setup(LogicalReplicationTest.tables(pair), List.of());
                String conninfo = pair.targetValue("SELECT subconninfo FROM pg_subscription WHERE subname = '" + pair.names.subscription() + "'");
                assertThat(conninfo).contains("passfile='" + passfile + "'").doesNotContain(TestServers.PASSWORD).doesNotContain("password=");
                pair.source("INSERT INTO items SELECT generate_series(101, 150)");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "150".equals(pair.targetValue("SELECT count(*) FROM items")));
            }
            assertThat(pair.leftovers()).isEmpty();
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    @Test
    void aPassfileThatIsNotOnTheTargetsHostIsRefusedBeforeAnythingChanges() {
        LogicalPair pair = new LogicalPair("pp_none");
        pair.source("CREATE TABLE items (id int PRIMARY KEY)");

        Check check = check(pair, pair.options().withPublisherPassfile("/controller/external/source/pass"));

        assertThat(check.passed()).isFalse();
        assertThat(check.message()).startsWith("no file /controller/external/source/pass on the target's host");
        assertThat(pair.sourceValue("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    private static Check check(LogicalPair pair, LogicalOptions options) {
        PreflightResult r = new LogicalPreflight(options, false).run(pair.source(), pair.target());
        return r.checks().stream().filter(c -> c.name().equals(PassfileCheck.NAME)).findFirst().orElseThrow();
    }
}
