package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One slice of a table whose key columns are all integers, read from both servers in key order (an
 * index range on each: no sort, no memory beyond the row at hand) and compared row by row as it streams.
 * Values are compared as the bytes each server sent; only where those differ are both rendered
 * canonically ({@link Canonical}), so the many values both engines print alike cost no decoding.
 * MySQL text that is not valid UTF-8 never equals anything (the copy could not have kept it).
 */
final class KeyOrderComparison {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private final TablePlan table;
    private final List<ColumnPlan> cols;
    private final int[] key;
    private final SliceCheck check;

    private KeyOrderComparison(TablePlan table, int[] key) {
        this.table = table;
        this.cols = table.columns();
        this.key = key;
        this.check = new SliceCheck(table, key);
    }

    /** Whether a table's key allows this comparison: every key column an integer on both sides (same order on both). */
    static boolean applies(TablePlan t, int[] key) {
        return key.length > 0 && Arrays.stream(key).allMatch(i -> t.columns().get(i).kind() == ValueKind.INTEGER);
    }

    static SliceCheck compare(MysqlDb my, Db pg, TablePlan t, int[] key, KeyRange range) {
        return new KeyOrderComparison(t, key).run(my, pg, range);
    }

    private SliceCheck run(MysqlDb my, Db pg, KeyRange range) {
        String firstKey = cols.get(key[0]).source();
        // ORDER BY names the table's columns: a bare name would be the select list's text of the value
        String mysqlOrder = range.where(MysqlDb.quote(firstKey)) + " ORDER BY " + Arrays.stream(key)
                .mapToObj(i -> MysqlDb.quote(table.source()) + "." + MysqlDb.quote(cols.get(i).source())).collect(Collectors.joining(", "));
        String pgOrder = range.where(PgNames.quote(cols.get(key[0]).target())) + " ORDER BY " + Arrays.stream(key)
                .mapToObj(i -> table.qualified() + "." + PgNames.quote(cols.get(i).target())).collect(Collectors.joining(", "));
        try (RowCursor source = MysqlRows.open(my, table.source(), cols, mysqlOrder);
             RowCursor target = PgRows.open(pg, table.qualified(), cols.stream().map(c -> PgNames.quote(c.target())).toList(), pgOrder)) {
            boolean hasSource = source.next();
            boolean hasTarget = target.next();
            long[] sourceKey = hasSource ? key(source, null, "MySQL") : null;
            long[] targetKey = hasTarget ? key(target, null, "PostgreSQL") : null;
            while (hasSource || hasTarget) {
                int order = !hasTarget ? -1 : !hasSource ? 1 : Arrays.compare(sourceKey, targetKey);
                if (order <= 0) {
                    check.sourceRow();
                }
                if (order >= 0) {
                    check.targetRow();
                }
                if (order == 0) {
                    row(source, target);
                } else if (order < 0) {
                    check.missing(check.namesMore() ? canonical(source, true) : null);
                } else {
                    check.extra(check.namesMore() ? canonical(target, false) : null);
                }
                if (order <= 0 && (hasSource = source.next())) {
                    sourceKey = key(source, sourceKey, "MySQL");
                }
                if (order >= 0 && (hasTarget = target.next())) {
                    targetKey = key(target, targetKey, "PostgreSQL");
                }
            }
        }
        return check;
    }

    private void row(RowCursor source, RowCursor target) {
        String[] differing = null;
        for (int i = 0; i < cols.size(); i++) {
            byte[] s = source.value(i);
            byte[] t = target.value(i);
            if (!same(cols.get(i), s, t)) {
                if (differing == null) {
                    differing = new String[cols.size()];
                }
                differing[i] = Objects.requireNonNullElse(Canonical.postgres(cols.get(i), text(t)), "NULL");
            }
        }
        if (differing != null) {
            check.differing(canonicalKey(source), differing);
        }
    }

    /** Equal as sent, by a known shape of the same value, or else canonically. */
    private static boolean same(ColumnPlan c, byte[] s, byte[] t) {
        if (s != null && t != null) {
            boolean fast = switch (c.kind()) {
                case BYTES -> t.length == 2 + 2 * s.length && hexOf(s, t);
                case BOOLEAN -> s.length == 1 && Arrays.equals(t, s[0] == '1' ? TRUE : s[0] == '0' ? FALSE : null);
                case TIMESTAMPTZ -> t.length == s.length + 3 && t[s.length] == '+' && t[s.length + 1] == '0' && t[s.length + 2] == '0'
                        && Arrays.equals(s, 0, s.length, t, 0, s.length);
                case BIT -> false;
                default -> Arrays.equals(s, t);
            };
            if (fast) {
                return true;
            }
        }
        return Objects.equals(Canonical.mysql(c, mysqlValue(c, s)), Canonical.postgres(c, text(t)));
    }

    /** Whether {@code hex} is {@code \x} and the lower-case hex of {@code bytes} (PostgreSQL's bytea text). */
    private static boolean hexOf(byte[] bytes, byte[] hex) {
        if (hex[0] != '\\' || hex[1] != 'x') {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (hex[2 + 2 * i] != DIGITS[bytes[i] >> 4 & 0xf] || hex[3 + 2 * i] != DIGITS[bytes[i] & 0xf]) {
                return false;
            }
        }
        return true;
    }

    /** A MySQL value as {@link Canonical#mysql} takes it: bytes for binary kinds, else strictly decoded UTF-8 text. */
    private static Object mysqlValue(ColumnPlan c, byte[] v) {
        if (v == null || c.kind().readsBytes()) {
            return v;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(v)).toString();
        } catch (CharacterCodingException e) {
            // never equal to what PostgreSQL holds: it only holds valid UTF-8
            return "\u0000invalid UTF-8 " + HEX.formatHex(v);
        }
    }

    private static String text(byte[] v) {
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** The current row's key; a key not after the previous one means the slice is not in the order compared. */
    private long[] key(RowCursor c, long[] previous, String side) {
        long[] k = new long[key.length];
        for (int i = 0; i < key.length; i++) {
            byte[] v = c.value(key[i]);
            if (v == null) {
                throw new EngineException(ExitCode.FAILED, "verify: " + table.display() + " holds a NULL key on " + side);
            }
            k[i] = Long.parseLong(new String(v, StandardCharsets.US_ASCII));
        }
        if (previous != null && Arrays.compare(previous, k) > 0) {
            throw new EngineException(ExitCode.FAILED, "verify: " + side + " returned " + table.display() + " out of key order at "
                    + Arrays.toString(k));
        }
        return k;
    }

    private String[] canonical(RowCursor c, boolean mysql) {
        String[] out = new String[cols.size()];
        for (int i = 0; i < out.length; i++) {
            byte[] v = c.value(i);
            out[i] = mysql ? Canonical.mysql(cols.get(i), mysqlValue(cols.get(i), v)) : Canonical.postgres(cols.get(i), text(v));
        }
        return out;
    }

    private String canonicalKey(RowCursor source) {
        String[] k = new String[key.length];
        for (int i = 0; i < key.length; i++) {
            k[i] = new String(source.value(key[i]), StandardCharsets.US_ASCII);
        }
        return String.join(",", k);
    }
}
