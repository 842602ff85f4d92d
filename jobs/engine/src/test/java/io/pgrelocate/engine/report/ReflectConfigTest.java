package io.pgrelocate.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrelocate.engine.baseline.BaselineResult;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.integrity.ForeignKeyOrphans;
import io.pgrelocate.engine.kube.Ledger;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A native image serializes with Jackson only the classes registered for reflection, so every
 * pgrelocate type reachable from the JSON report and the ledger must be in the engine's
 * META-INF/native-image reflect-config.json (native builds read it from the jar).
 */
class ReflectConfigTest {
    private static final String CONFIG = "/META-INF/native-image/io.pgrelocate/pgrelocate-engine/reflect-config.json";

    @Test
    void everyTypeOfTheReportAndLedgerIsRegistered() throws IOException {
        Set<String> registered = new HashSet<>();
        try (InputStream in = ReflectConfigTest.class.getResourceAsStream(CONFIG)) {
            assertThat(in).as(CONFIG).isNotNull();
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                registered.add(entry.get("name").asText());
            }
        }
        Set<String> reachable = new TreeSet<>();
        // The engine's roots: the migration report, the ledger, what the jobs' own reports hold, and discover -o json.
        for (Class<?> root : new Class<?>[] {MigrationReport.class, Ledger.class, CheckResult.class, Verdict.class,
                BaselineResult.class, ForeignKeyOrphans.class, io.pgrelocate.engine.discover.Discovery.class}) {
            collect(root, reachable);
        }
        assertThat(registered).containsAll(reachable);
    }

    /** pgrelocate types of instance fields (a record's components are its fields), transitively. */
    private static void collect(Type type, Set<String> out) {
        if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), out);
            for (Type arg : p.getActualTypeArguments()) {
                collect(arg, out);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, out);
            }
        } else if (type instanceof Class<?> c) {
            if (c.isArray()) {
                collect(c.getComponentType(), out);
            } else if (c.getName().startsWith("io.pgrelocate.") && out.add(c.getName())) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        collect(f.getGenericType(), out);
                    }
                }
            }
        }
    }
}
