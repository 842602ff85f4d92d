package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult.Status;
import io.pgrelocate.engine.postgres.ExtensionInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionCheckTest {
    private static final ExtensionInfo PGCRYPTO = new ExtensionInfo("pgcrypto", "1.3");
    private static final ExtensionInfo TRGM = new ExtensionInfo("pg_trgm", "1.5");

    @Test
    void missingExtensionFailsNamingIt() {
        CheckResult r = ExtensionCheck.compare(List.of(PGCRYPTO, TRGM), List.of(PGCRYPTO));
        assertThat(r.failure()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(r.message()).startsWith("not installed on the target: pg_trgm:");
    }

    @Test
    void otherVersionIsAWarningNamingBoth() {
        CheckResult r = ExtensionCheck.compare(List.of(TRGM), List.of(new ExtensionInfo("pg_trgm", "1.6")));
        assertThat(r.status()).isEqualTo(Status.WARNING);
        assertThat(r.message()).contains("pg_trgm 1.5 → 1.6");
    }

    @Test
    void sameExtensionsPass() {
        CheckResult r = ExtensionCheck.compare(List.of(PGCRYPTO), List.of(PGCRYPTO, TRGM));
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.message()).isEqualTo("installed on the target: pgcrypto 1.3");
    }
}
