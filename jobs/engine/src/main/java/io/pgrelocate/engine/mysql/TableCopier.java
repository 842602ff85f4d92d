package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;

/** Copies one table: MySQL streaming result → PostgreSQL COPY … FROM STDIN, in chunks of about 1 MB. */
public final class TableCopier {
    private static final int CHUNK_CHARS = 1 << 20;

    /** Rows copied, and the values the encoder changed per column. */
    public record Copied(String table, long rows, Map<String, Long> madeNull, Map<String, Long> nulRemoved) {
    }

    private TableCopier() {
    }

    /** Copies into {@code targetTable}, which may differ from the plan's table (a merge's staging table). */
    public static Copied copy(MysqlDb source, Db target, TablePlan table, String targetTable) {
        String sql = "COPY " + targetTable + " (" + table.columns().stream().map(c -> PgNames.quote(c.target()))
                .collect(Collectors.joining(", ")) + ") FROM STDIN";
        CopyEncoder encoder = new CopyEncoder(table.columns());
        CopyIn in;
        try {
            in = target.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        } catch (SQLException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "COPY into " + targetTable + " failed: " + e.getMessage(), e);
        }
        StringBuilder buffer = new StringBuilder(CHUNK_CHARS + 4096);
        try {
            long rows = MysqlRows.stream(source, table.source(), table.columns(), values -> {
                encoder.row(values, buffer);
                if (buffer.length() >= CHUNK_CHARS) {
                    flush(in, buffer);
                }
            });
            flush(in, buffer);
            in.endCopy();
            return new Copied(table.display(), rows, encoder.madeNull(), encoder.nulRemoved());
        } catch (SQLException | RuntimeException e) {
            try {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            } catch (SQLException ignored) {
                // the first failure is the one to report
            }
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException(ExitCode.COPY_FAILED, "COPY into " + targetTable + " failed: " + e.getMessage(), e);
        }
    }

    private static void flush(CopyIn in, StringBuilder buffer) throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }
}
