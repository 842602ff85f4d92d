package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ObjectFilter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress and ETA from the verbose lines pg_dump 15 and pg_restore 15 really print. */
class TableProgressTest {
    private static final List<TableInfo> TABLES = List.of(
            new TableInfo("public", "big", 'r', false, true, 1000, 600),
            new TableInfo("public", "small", 'r', false, true, 10, 200),
            new TableInfo("app", "small", 'r', false, true, 10, 200),
            new TableInfo("public", "mv", 'm', false, true, 10, 999));

    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void parallelDumpWeighsTablesBySize() {
        TestClock clock = new TestClock();
        TableProgress p = new TableProgress("dump", TABLES, false, clock);
        p.accept("pg_dump: dumping contents of table \"public.big\"");
        p.accept("pg_dump: dumping contents of table \"app.small\"");
        p.accept("pg_dump: finished item 3380 TABLE DATA small");
        clock.now = clock.now.plus(Duration.ofSeconds(20));
        assertThat(p.tablesDone()).isEqualTo(1);
        assertThat(p.fraction()).isEqualTo(0.2);
        assertThat(p.line()).isEqualTo("dump: 20% · 1/3 tables · 200 B of 1000 B · elapsed 20s · ETA 1m20s");
        p.accept("pg_dump: finished item 3379 TABLE DATA big");
        p.accept("pg_restore: processing data for table \"public.small\"");
        p.accept("pg_dump: finished item 3381 TABLE DATA small");
        assertThat(p.fraction()).isEqualTo(1.0);
        assertThat(p.line()).contains("100% · 3/3 tables", "data done");
    }

    @Test
    void serialModeFinishesATableWhenTheNextStarts() {
        TableProgress p = new TableProgress("restore", TABLES, true, new TestClock());
        p.accept("pg_restore: processing data for table \"public.big\"");
        assertThat(p.doneBytes()).isZero();
        p.accept("pg_restore: processing data for table \"public.small\"");
        assertThat(p.doneBytes()).isEqualTo(600);
    }

    @Test
    void restoreListDropsExcludedExtensionsOnly() {
        List<String> toc = List.of(
                ";     dbname: app",
                "2; 3079 16385 EXTENSION - set_user ",
                "4211; 0 0 COMMENT - EXTENSION set_user ",
                "3; 3079 16386 EXTENSION - hstore ",
                "220; 1259 16400 TABLE public set_user_audit app");
        assertThat(RestoreList.filter(toc, ObjectFilter.SPILO_DEFAULT)).containsExactly(
                ";     dbname: app", "3; 3079 16386 EXTENSION - hstore ", "220; 1259 16400 TABLE public set_user_audit app");
    }
}
