package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.mysql.MysqlSchema.Column;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/** The values an integer type holds, on either engine: whether a target type holds every value a source type can. */
record IntegerRange(BigInteger min, BigInteger max) {
    private static IntegerRange signed(int bits) {
        return new IntegerRange(BigInteger.TWO.pow(bits - 1).negate(), BigInteger.TWO.pow(bits - 1).subtract(BigInteger.ONE));
    }

    private static IntegerRange unsigned(int bits) {
        return new IntegerRange(BigInteger.ZERO, BigInteger.TWO.pow(bits).subtract(BigInteger.ONE));
    }

    /** A MySQL integer column's range; empty for other types. */
    static Optional<IntegerRange> of(Column c) {
        int bits = switch (c.dataType()) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "mediumint" -> 24;
            case "int", "integer" -> 32;
            case "bigint" -> 64;
            default -> 0;
        };
        return bits == 0 ? Optional.empty() : Optional.of(c.unsigned() ? unsigned(bits) : signed(bits));
    }

    /** A PostgreSQL integer type's range; empty for other types. */
    static Optional<IntegerRange> of(String pgType) {
        return switch (pgType.toLowerCase(Locale.ROOT).trim()) {
            case "smallint", "int2" -> Optional.of(signed(16));
            case "integer", "int", "int4" -> Optional.of(signed(32));
            case "bigint", "int8" -> Optional.of(signed(64));
            default -> Optional.empty();
        };
    }

    boolean holds(IntegerRange other) {
        return min.compareTo(other.min) <= 0 && max.compareTo(other.max) >= 0;
    }
}
