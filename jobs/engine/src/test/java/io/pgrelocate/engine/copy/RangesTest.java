package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.common.Ranges;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Range predicates leave no gap and no overlap; the stream strategy's table of contents drops what it builds itself. */
class RangesTest {
    @Test
    void pageRangesAreOpenAtBothEnds() {
        assertThat(Ranges.ofPages(100, 4)).containsExactly(
                "ctid < '(25,0)'::tid",
                "ctid >= '(25,0)'::tid AND ctid < '(50,0)'::tid",
                "ctid >= '(50,0)'::tid AND ctid < '(75,0)'::tid",
                "ctid >= '(75,0)'::tid");
        assertThat(Ranges.ofPages(3, 4)).as("fewer pages than pieces: not cut").isEmpty();
    }

    @Test
    void aSplitTableGetsAMultipleOfTheWorkersInRanges() {
        long mib = 1L << 20;
        assertThat(StreamPlan.pieces(257 * mib, 64 * mib, 2)).as("5 ranges of 64 MiB: 6, 3 per worker").isEqualTo(6);
        assertThat(StreamPlan.pieces(256 * mib, 64 * mib, 2)).isEqualTo(4);
        assertThat(StreamPlan.pieces(65 * mib, 64 * mib, 3)).isEqualTo(3);
        assertThat(StreamPlan.pieces(10_000 * mib, 64 * mib, 2)).as("at most 4 per worker").isEqualTo(8);
    }

    @Test
    void tableOfContentsLosesOnlyTheHandledIndexesConstraintsAndKeys() {
        List<String> toc = List.of(
                "214; 1259 16385 TABLE public a postgres",
                "3202; 2606 16391 CONSTRAINT public a a_pkey postgres",
                "3205; 2606 16393 CONSTRAINT public a a_v_key postgres",
                "3203; 1259 16400 INDEX public a_v_idx postgres",
                "3210; 2606 16420 FK CONSTRAINT public b b_a_fkey postgres",
                "3211; 2620 16430 TRIGGER public a a_audit postgres");
        assertThat(StreamCopy.withoutHandled(toc, Set.of(16391L, 16400L, 16420L))).containsExactly(
                "214; 1259 16385 TABLE public a postgres",
                "3205; 2606 16393 CONSTRAINT public a a_v_key postgres",
                "3211; 2620 16430 TRIGGER public a a_audit postgres");
    }

    @Test
    void theCleanUpCommandQuotesForTheShell() {
        var target = io.pgrelocate.engine.settings.ConnectionSpec.parse("postgresql://app@db.example:5433/my%20db");
        assertThat(StreamCopy.partlyLoaded(target))
                .contains("app@db.example:5433/my db is partly loaded")
                .endsWith("(dropdb -h db.example -p 5433 -U app 'my db' && createdb -h db.example -p 5433 -U app -O app 'my db')");
    }
}
