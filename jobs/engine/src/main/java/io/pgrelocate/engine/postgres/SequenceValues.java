package io.pgrelocate.engine.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * last_value and is_called of many sequences, a few hundred per statement (UNION ALL): with one
 * sequence per table, one query each cost a round trip per table on both sides.
 */
public final class SequenceValues {
    private static final int PER_STATEMENT = 100;

    /** The state of one sequence. */
    public record Value(long lastValue, boolean isCalled) {
    }

    private SequenceValues() {
    }

    /** In the order of {@code sqlNames} (quoted, qualified). */
    public static List<Value> read(Db db, List<String> sqlNames) {
        List<Value> values = new ArrayList<>(sqlNames.size());
        for (int from = 0; from < sqlNames.size(); from += PER_STATEMENT) {
            List<String> chunk = sqlNames.subList(from, Math.min(sqlNames.size(), from + PER_STATEMENT));
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(", last_value, is_called FROM ").append(chunk.get(i));
            }
            Value[] part = new Value[chunk.size()];
            db.list(sql + " ORDER BY 1", rs -> part[rs.getInt(1)] = new Value(rs.getLong(2), rs.getBoolean(3)));
            values.addAll(List.of(part));
        }
        return values;
    }
}
