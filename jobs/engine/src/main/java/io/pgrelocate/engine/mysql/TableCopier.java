package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
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

    /** Where rows come from: hands each row to the consumer, returns how many. */
    @FunctionalInterface
    public interface RowSource {
        long stream(MysqlRows.RowConsumer consumer);
    }

    /**
     * A MySQL table into its planned (new, empty) target table, in one transaction that empties it first: then the
     * rows are written frozen (COPY FREEZE), so neither verify nor ANALYZE nor the applications' first reads rewrite
     * every page to set hint bits, and no later VACUUM has to freeze them.
     */
    public static Copied copy(MysqlDb source, Db target, TablePlan table) {
        java.sql.Connection c = target.connection();
        try {
            c.setAutoCommit(false);
            target.execute("SET LOCAL synchronous_commit = off; TRUNCATE " + table.qualified());
            Copied copied = copy(target, table.qualified(), table.display(), table.columns(), " (FREEZE)",
                    consumer -> MysqlRows.stream(source, table.source(), table.columns(), consumer));
            c.commit();
            return copied;
        } catch (SQLException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "COPY into " + table.qualified() + " failed: " + e.getMessage(), e);
        } finally {
            try {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            } catch (SQLException ignored) {
                // a broken session: the copy's failure is the one reported
            }
        }
    }

    /**
     * Rows into {@code targetTable} (a table or a merge's staging table); {@code columns} say how
     * each value is written (see {@link CopyEncoder}).
     */
    public static Copied copy(Db target, String targetTable, String display, List<ColumnPlan> columns, RowSource rows) {
        return copy(target, targetTable, display, columns, "", rows);
    }

    /** As above, with COPY options ({@code " (FREEZE)"}, or ""). */
    private static Copied copy(Db target, String targetTable, String display, List<ColumnPlan> columns, String options, RowSource rows) {
        String sql = "COPY " + targetTable + " (" + columns.stream().map(c -> PgNames.quote(c.target()))
                .collect(Collectors.joining(", ")) + ") FROM STDIN" + options;
        CopyEncoder encoder = new CopyEncoder(columns);
        CopyIn in;
        try {
            in = target.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        } catch (SQLException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "COPY into " + targetTable + " failed: " + e.getMessage(), e);
        }
        StringBuilder buffer = new StringBuilder(CHUNK_CHARS + 4096);
        try {
            long count = rows.stream(values -> {
                encoder.row(values, buffer);
                if (buffer.length() >= CHUNK_CHARS) {
                    flush(in, buffer);
                }
            });
            flush(in, buffer);
            in.endCopy();
            return new Copied(display, count, encoder.madeNull(), encoder.nulRemoved());
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
