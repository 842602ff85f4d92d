package io.pgrelocate.engine.copy;

import java.time.Instant;

/**
 * The source at the switch point: fenced at {@code at}, when its WAL stood at {@code finalLsn};
 * nothing written on it after that. A logical copy is complete once the target applied {@code finalLsn}.
 */
public record FencedSource(Instant at, String finalLsn) {
}
