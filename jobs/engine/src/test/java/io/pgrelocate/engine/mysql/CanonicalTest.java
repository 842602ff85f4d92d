package io.pgrelocate.engine.mysql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Both engines' renderings of one value meet in one canonical text, and none of them is unreadable ("?"). */
class CanonicalTest {
    private static ColumnPlan column(String pgType) {
        return new ColumnPlan("c", "c", MappedType.of(pgType, "test"), true, null, false);
    }

    private static void same(String pgType, Object mysql, String postgres) {
        String m = Canonical.mysql(column(pgType), mysql);
        assertThat(m).doesNotStartWith("?").isEqualTo(Canonical.postgres(column(pgType), postgres));
    }

    @Test
    void valuesOfEveryKindMeet() {
        same("timestamptz(3)", "2024-02-29 13:14:15.123", "2024-02-29 13:14:15.123+00");
        same("timestamptz(3)", "2024-02-29 13:14:15.123", "2024-02-29 15:14:15.123+02");
        same("timestamp(6)", "2024-02-29 13:14:15.100000", "2024-02-29 13:14:15.1");
        same("time(6)", "12:34:56.500000", "12:34:56.5");
        same("interval", "-838:59:59.000000", "-838:59:59");
        same("numeric(20,6)", "12.500000", "12.500000");
        same("real", "3.25", "3.25");
        same("boolean", "1", "t");
        same("bytea", new byte[] {0, (byte) 0xff}, "\\x00ff");
        same("bit(10)", new byte[] {1, 5}, "0100000101");
        same("jsonb", "{\"b\": [1, 2.50], \"a\": \"ü\"}", "{\"a\": \"ü\", \"b\": [1, 2.5]}");
        same("text[]", "read,write", "{read,write}");
        same("text[]", "", "{}");
        same("text", "nul\0byte", "nulbyte");
        same("timestamp(0)", "2024-01-01 00:00:00", "2024-01-01 00:00:00");
        same("timestamptz(6)", "2024-01-01 00:00:00.000000", "2023-12-31 19:00:00-05");
        same("numeric(12,2)", "-0.50", "-0.5");
        same("bigint", "-9223372036854775808", "-9223372036854775808");
    }

    @Test
    void aZeroDateInANotNullColumnMeetsMinusInfinity() {
        ColumnPlan notNull = new ColumnPlan("c", "c", MappedType.of("timestamp(3)", "test"), false, null, false);
        assertThat(Canonical.mysql(notNull, "0000-00-00 00:00:00.000")).isEqualTo(Canonical.postgres(notNull, "-infinity"));
        assertThat(Canonical.mysql(notNull, "0000-00-00 00:00:00.000")).isNotEqualTo(Canonical.postgres(notNull, "1970-01-01 00:00:00"));
    }

    @Test
    void differentValuesStayApart() {
        assertThat(Canonical.mysql(column("boolean"), "5")).isNotEqualTo(Canonical.postgres(column("boolean"), "t"));
        assertThat(Canonical.mysql(column("timestamp(0)"), "2024-01-01 00:00:00"))
                .isNotEqualTo(Canonical.postgres(column("timestamp(0)"), "2024-01-01 01:00:00"));
        assertThat(Canonical.mysql(column("date"), "0000-00-00")).isNull();
        assertThat(Canonical.mysql(column("jsonb"), "{\"a\": 1}")).isNotEqualTo(Canonical.postgres(column("jsonb"), "{\"a\": \"1\"}"));
        assertThat(Canonical.mysql(column("timestamp(1)"), "2024-01-01 00:00:00.0"))
                .isNotEqualTo(Canonical.postgres(column("timestamp(1)"), "2024-01-01 00:00:00.5"));
        assertThat(Canonical.mysql(column("numeric(5,1)"), "10.0")).isNotEqualTo(Canonical.postgres(column("numeric(5,1)"), "1"));
    }
}
