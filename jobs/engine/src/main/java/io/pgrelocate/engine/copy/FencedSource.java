package io.pgrelocate.engine.copy;

import java.time.Instant;

/**
 * The source at the switch point: fenced at {@code at}, when its WAL stood at {@code finalLsn};
 * nothing written on it after that. A logical copy is complete once the target applied {@code finalLsn}.
 * Part of the seam's contract: the fence ended every other client session of the source, so a copy
 * that kept one open before the window opens its own again (replication walsenders are no client
 * sessions and stay).
 */
public record FencedSource(Instant at, String finalLsn) {
}
