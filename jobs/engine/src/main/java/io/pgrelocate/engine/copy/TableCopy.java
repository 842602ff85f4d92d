package io.pgrelocate.engine.copy;

import java.time.Duration;

/**
 * What the stream strategy did with one table.
 *
 * @param ranges  1 when copied whole, else the number of ranges copied by several workers
 * @param format  COPY format used: binary or text
 * @param freeze  COPY FREEZE after TRUNCATE in the same transaction
 * @param took    first range started → last range committed
 */
public record TableCopy(String table, long rows, long bytes, int ranges, String format, boolean freeze, Duration took) {
}
