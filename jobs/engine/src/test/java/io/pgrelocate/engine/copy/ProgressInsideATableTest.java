package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A single big table's copy moves the progress while it runs, from the server's pg_stat_progress_copy. */
class ProgressInsideATableTest {
    @Test
    void aRunningCopyShowsItsShareOfTheTable() throws Exception {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "prog");
        pg.executeSql(db, "CREATE TABLE big(id int)");
        TableProgress progress = new TableProgress("restore", List.of(new TableInfo("public", "big", 'r', false, true, 4000, 4_000_000)),
                false, Clock.systemUTC());
        progress.accept("pg_restore: processing data for table \"public.big\"");
        try (Connection c = pg.connect(db);
             ServerCopyProgress poller = ServerCopyProgress.start(TestServers.spec(pg, db), progress, Duration.ofMillis(200))) {
            // 1000 rows sent, then the COPY waits (as a slow pg_restore worker would) until the test has seen them
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY big FROM STDIN");
            StringBuilder rows = new StringBuilder();
            for (int i = 1; i <= 1000; i++) {
                rows.append(i).append('\n');
            }
            byte[] data = rows.toString().getBytes(StandardCharsets.US_ASCII);
            copy.writeToCopy(data, 0, data.length);
            copy.flushCopy();
            String line = "";
            for (int i = 0; i < 300 && !line.contains("public.big 25% (1000 rows)"); i++) {
                Thread.sleep(100);
                line = progress.line();
            }
            assertThat(line).contains("restore: 25%", "0/1 tables", "public.big 25% (1000 rows)");
            assertThat(copy.endCopy()).isEqualTo(1000);
        }
    }
}
