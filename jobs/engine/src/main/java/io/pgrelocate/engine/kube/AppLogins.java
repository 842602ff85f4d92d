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
 * The applications' own logins, read from their workloads: each container's settings resolved from its pod
 * template as the kubelet would ({@link ContainerEnv}), the database login read from them ({@link AppLogin}),
 * and — where its host is one the cutover points at the target — the application's user, password and database
 * at the target address the migration itself uses. The logins are checked by the engine's
 * {@link io.pgrelocate.engine.roles.AppLogins} through {@code MigrationSettings.withAppLogins}: their roles are
 * carried, rehearsed in preflight (against the source's stored verifier) and proven in the window.
 */
public final class AppLogins {
    private final KubernetesClient client;
    private final String namespace;

    public AppLogins(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * One login per container that logs in to a host {@code rewrite} moves; throws (exit 4, before anything changed)
     * naming every container whose settings cannot be resolved or give no password.
     */
    public List<io.pgrelocate.engine.roles.AppLogin> resolve(List<WorkloadRef> apps, HostRewrite rewrite, ConnectionSpec target) {
        Workloads workloads = new Workloads(client, namespace);
        List<io.pgrelocate.engine.roles.AppLogin> logins = new ArrayList<>();
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
                if (l.password() == null || l.password().reveal() == null) {
                    failed.add(who + ": no password in its settings (DB_PASS, PGPASSWORD, DATABASE_URL…) for " + l.user());
                    continue;
                }
                logins.add(io.pgrelocate.engine.roles.AppLogin.onTarget(who, target, l.user(), l.password()::reveal, l.database()));
            }
        }
        if (!failed.isEmpty()) {
            throw new EngineException(ExitCode.AUTHENTICATION, "the applications could not work on the target: " + String.join("; ", failed));
        }
        return logins;
    }
}
