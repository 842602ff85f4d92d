package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.checks.CheckResult.Status;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.HotStandby;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A streaming hot standby, as behind CNPG's -ro Service, is a read-only endpoint. */
class HotStandbyEndpointTest {
    @Test
    void hotStandbyPassesAsTheReadOnlyEndpoint() {
        LocalPostgres primary = TestServers.pg15();
        String db = TestServers.freshDatabase(primary, "hs");
        try (HotStandby standby = HotStandby.of(primary)) {
            List<CheckResult> r = new EndpointChecks(false, line -> { }).check(TestServers.spec(primary, db), standby.spec(db));

            CheckResult readOnly = r.stream().filter(c -> c.name().equals("ro read-only")).findFirst().orElseThrow();
            assertThat(readOnly.status()).isEqualTo(Status.OK);
            assertThat(readOnly.message()).isEqualTo(standby.spec(db).display() + ": a hot standby (pg_is_in_recovery() is true)");
        }
    }
}
