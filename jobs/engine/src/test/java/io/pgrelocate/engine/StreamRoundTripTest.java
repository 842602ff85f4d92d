package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.TableCopy;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.engine.report.Summary;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Every check of the full-coverage round trip, through --strategy stream, and what its report adds. */
class StreamRoundTripTest extends RoundTripTest {
    private static final String KEYS = "SELECT count(*) || '/' || count(*) FILTER (WHERE convalidated) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
            + " WHERE contype IN ('p', 'u', 'f', 'x') AND nspname <> 'pg_catalog'";

    @Override
    protected Strategy strategy() {
        return Strategy.STREAM;
    }

    @Test
    void generatedColumnsAreComputedByTheTarget() throws SQLException {
        assertThat(query(targetDb, "SELECT sum(line_total)::text FROM public.orders"))
                .isEqualTo(query(sourceDb, "SELECT sum(line_total)::text FROM public.orders"));
    }

    @Test
    void keysAreConstraintsAgainAndForeignKeysExist() throws SQLException {
        assertThat(query(targetDb, KEYS)).isEqualTo(query(sourceDb, KEYS));
    }

    @Test
    void reportSaysWhatWasUsedPerTable() {
        CopyResult.Stream s = report.copy().stream();
        assertThat(report.copy().strategy()).isEqualTo("stream");
        assertThat(s.tables()).isNotEmpty().allSatisfy(t -> assertThat(t.format()).isIn("binary", "text"));
        assertThat(s.tables()).anySatisfy(t -> assertThat(t.format()).isEqualTo("text"));  // citext, hstore, enums
        assertThat(s.tables()).anySatisfy(t -> assertThat(t.format()).isEqualTo("binary"));
        assertThat(s.rows()).isEqualTo(s.tables().stream().mapToLong(TableCopy::rows).sum()).isPositive();
        assertThat(s.indexBuilds()).isPositive();
        assertThat(s.largeObjects()).isEqualTo(4);
        assertThat(ReportWriter.json(report)).contains("\"stream\"", "\"bytesPerSecond\"").doesNotContain(io.pgrelocate.engine.testing.TestServers.PASSWORD);
        assertThat(Summary.of(report)).contains("strategy stream", "nothing on disk");
        assertThat(report.preflight()).anySatisfy(c -> assertThat(c.line()).contains("only the schema goes to disk"));
    }
}
