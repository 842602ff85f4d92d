package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.TableInfo;

/**
 * Where a bulk copier records its progress, so that a copy stopped part-way can resume: a table
 * once all its data (every range) is committed on the target, and the moment the phases after the
 * data (foreign keys, post-data) begin, from which on the target's state is no longer a set of tables.
 */
public interface CopyLedger {
    /** All of {@code table}'s rows are committed on the target. */
    void tableCopied(TableInfo table);

    /** Every table is copied; the foreign keys and post-data are about to be made. */
    void laterPhasesBegin();
}
