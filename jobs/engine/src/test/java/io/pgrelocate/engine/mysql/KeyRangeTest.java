package io.pgrelocate.engine.mysql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRangeTest {
    @Test
    void slicesCoverEveryKeyOnceWithOpenEnds() {
        List<KeyRange> slices = KeyRange.split(1, 1_000_000, 1_000_000);
        assertThat(slices).hasSize(4);
        assertThat(slices.get(0).from()).isNull();
        assertThat(slices.get(slices.size() - 1).to()).isNull();
        for (int i = 1; i < slices.size(); i++) {
            assertThat(slices.get(i).from()).isEqualTo(slices.get(i - 1).to());
        }
        assertThat(slices.get(1).where("\"id\"")).isEqualTo(" WHERE \"id\" >= " + slices.get(1).from() + " AND \"id\" < " + slices.get(1).to());
        assertThat(slices.get(0).where("k")).isEqualTo(" WHERE k < " + slices.get(0).to());
    }

    @Test
    void theWholeBigintRangeAndSmallTablesDoNotOverflowOrSplit() {
        List<KeyRange> slices = KeyRange.split(Long.MIN_VALUE, Long.MAX_VALUE, 10_000_000);
        assertThat(slices).hasSize(40);
        assertThat(slices.get(20).from()).isGreaterThan(slices.get(19).from());
        assertThat(KeyRange.split(1, 10, 100)).containsExactly(KeyRange.ALL);
        assertThat(KeyRange.split(5, 5, 1_000_000)).containsExactly(KeyRange.ALL);
        assertThat(KeyRange.ALL.where("id")).isEmpty();
    }
}
