package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The applications' own logins on the target: each container's settings resolved from its pod template as
 * the kubelet would ({@link ContainerEnv}), the database login read from them ({@link AppLogin}), and — where
 * its host is one the cutover points at the target — tried with the application's user, password and
 * database at the target address the migration itself uses. Before the freeze it is a rehearsal; after
 * the cutover, before the thaw, it is the proof (and a failure rolls the window back).
 */
public final class AppLogins {
    private final KubernetesClient client;
    private final String namespace;
    private final java.util.function.Supplier<ConnectionSpec> target;
    private final AppLoginProbe probe;

    /** {@code target}: the migration's own target connection, asked for when the logins are checked. */
    public AppLogins(KubernetesClient client, String namespace, java.util.function.Supplier<ConnectionSpec> target, AppLoginProbe probe) {
        this.client = client;
        this.namespace = namespace;
        this.target = target;
        this.probe = probe;
    }

    /** One line per login that worked; throws naming every application, setting and reason that did not. */
    public List<String> check(List<WorkloadRef> apps, HostRewrite rewrite, boolean afterCopy) {
        Workloads workloads = new Workloads(client, namespace);
        List<String> ok = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (WorkloadRef app : apps) {
            PodTemplateSpec template = workloads.template(app);
            for (Container c : template.getSpec().getContainers()) {
                String who = app + " container " + c.getName();
                Map<String, String> env;
                try {
                    env = ContainerEnv.resolve(c, template.getMetadata(), ContainerEnv.Objects.of(client, namespace));
                } catch (ContainerEnv.ConfigError e) {
                    failed.add(who + ": its settings cannot be resolved (" + e.getMessage() + "): the pod would not start");
                    continue;
                }
                Map<String, String> rewritten = new LinkedHashMap<>();
                env.forEach((k, v) -> rewritten.put(k, rewrite.apply(v)));
                Optional<ConnectionSpec> login = AppLogin.of(rewritten).filter(l -> rewrite.namesTarget(l.host()));
                if (login.isEmpty()) {
                    continue;
                }
                ConnectionSpec l = login.get();
                if (l.password() == null) {
                    failed.add(who + ": no password in its settings (DB_PASS, PGPASSWORD, DATABASE_URL…) for " + l.user());
                    continue;
                }
                ConnectionSpec t = target.get();
                ConnectionSpec at = new ConnectionSpec(t.host(), t.port(), l.database(), l.user(), l.password(), t.sslMode(), t.sslRootCert());
                Optional<String> why = probe.failure(at, afterCopy);
                if (why.isPresent()) {
                    failed.add(who + ": login as " + l.user() + " to database " + l.database() + " on the target: " + why.get());
                } else {
                    ok.add(who + " logs in as " + l.user() + " to database " + l.database() + " on the target");
                }
            }
        }
        if (!failed.isEmpty()) {
            throw new EngineException(ExitCode.AUTHENTICATION, "the applications could not work on the target: " + String.join("; ", failed));
        }
        return ok;
    }
}
