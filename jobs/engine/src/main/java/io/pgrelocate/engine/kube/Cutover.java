package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Points the applications at the target: every setting of theirs that names a source host — a
 * literal env value, a key of a ConfigMap or Secret they read — is rewritten, the applications are
 * restarted and must become ready. The previous values go to the Secret
 * {@code pgrelocate-cutover-<migration>} (they may hold passwords) and the ledger lists what was
 * changed, so {@link #revert} puts back every value exactly as it was.
 */
public final class Cutover {
    static final String RESTARTED_AT = "pgrelocate.io/restarted-at";
    private static final String RESTART = "restart";

    private final KubernetesClient client;
    private final LedgerStore store;
    private final Workloads workloads;
    private final Consumer<String> out;
    private final Clock clock;

    public Cutover(KubernetesClient client, LedgerStore store, Consumer<String> out, Clock clock) {
        this.client = client;
        this.store = store;
        this.workloads = new Workloads(client, store.namespace());
        this.out = out;
        this.clock = clock;
    }

    /** One rewrite: where, the value now, the value after. */
    public record Change(Ledger.SettingRef ref, String before, String after) {
    }

    public String backupSecretName() {
        return "pgrelocate-cutover-" + store.migration();
    }

    /** Every setting of {@code apps} that names a source host, with its new value. Reads only. */
    public List<Change> plan(List<WorkloadRef> apps, HostRewrite rewrite) {
        List<Change> changes = new ArrayList<>();
        for (WorkloadRef app : apps) {
            PodTemplateSpec template = workloads.template(app);
            for (Container c : template.getSpec().getContainers()) {
                for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (v.getValue() != null) {
                        add(changes, new Ledger.SettingRef(id(changes), "env", app.toString(), c.getName(), v.getName()), v.getValue(), rewrite);
                    }
                }
            }
            for (PodReferences.Ref r : PodReferences.of(template.getSpec())) {
                String object = (r.secret() ? "secret/" : "configmap/") + r.name();
                Map<String, String> data = r.secret() ? secretData(r.name()) : configMapData(r.name());
                data.forEach((key, value) -> {
                    boolean seen = changes.stream().anyMatch(ch -> ch.ref().object().equals(object) && ch.ref().key().equals(key));
                    if ((r.key() == null || r.key().equals(key)) && !seen) {
                        add(changes, new Ledger.SettingRef(id(changes), r.secret() ? "secret" : "configmap", object, null, key), value, rewrite);
                    }
                });
            }
        }
        return changes;
    }

    /** Rewrites the settings, restarts the applications and waits until they are ready. */
    public Ledger apply(List<WorkloadRef> apps, HostRewrite rewrite, Duration timeout) {
        Ledger ledger = store.read().orElseThrow(() -> new EngineException(ExitCode.LEDGER, "no ledger " + store.name()
                + ": cut over after the migration Job has copied and verified the data"));
        if (!ledger.cutover().isEmpty()) {
            throw new EngineException(ExitCode.LEDGER, "migration '" + store.migration() + "' is already cut over ("
                    + ledger.cutover().size() + " setting(s)); roll back first; nothing was changed");
        }
        List<Change> changes = plan(apps, rewrite);
        if (changes.isEmpty()) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "no setting of " + apps + " names a source host; nothing was changed");
        }
        saveBackup(changes);
        List<Ledger.SettingRef> refs = new ArrayList<>(changes.stream().map(Change::ref).toList());
        // the applications to restart again on rollback, also those that only read a changed ConfigMap or Secret
        apps.forEach(app -> refs.add(new Ledger.SettingRef(null, RESTART, app.toString(), null, null)));
        store.write(l -> l.cutover(refs).phase("cutover-started", clock.instant()));
        changes.forEach(ch -> {
            write(ch.ref(), ch.after());
            out.accept("cutover: " + ch.ref() + " now names the target");
        });
        restartAndWait(apps, timeout);
        return store.write(l -> l.moveTo(Ledger.State.CUT_OVER, clock.instant()));
    }

    /**
     * Puts every rewritten setting back to its previous value, restarts the applications, waits.
     * Empty when there was no cutover to undo.
     */
    public Optional<Ledger> revert(Duration timeout) {
        Ledger ledger = store.read().orElse(null);
        if (ledger == null || ledger.cutover().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> previous = backup();
        List<WorkloadRef> apps = new ArrayList<>();
        for (Ledger.SettingRef ref : ledger.cutover()) {
            if (ref.kind().equals(RESTART)) {
                apps.add(WorkloadRef.parse(ref.object()));
                continue;
            }
            String value = previous.get(ref.id());
            if (value == null) {
                throw new EngineException(ExitCode.APPS_NOT_RESTORED, "the previous value of " + ref + " is missing from Secret "
                        + backupSecretName() + "; nothing more was restored");
            }
            write(ref, value);
            out.accept("rollback: " + ref + " restored");
        }
        restartAndWait(apps, timeout);
        return Optional.of(store.write(l -> l.cutover(List.of()).phase("cutover-reverted", clock.instant())));
    }

    private void add(List<Change> changes, Ledger.SettingRef ref, String before, HostRewrite rewrite) {
        String after = rewrite.apply(before);
        if (!after.equals(before)) {
            changes.add(new Change(ref, before, after));
        }
    }

    private static String id(List<Change> changes) {
        return "setting-" + (changes.size() + 1);
    }

    private void saveBackup(List<Change> changes) {
        Map<String, String> values = new LinkedHashMap<>();
        changes.forEach(ch -> values.put(ch.ref().id(), ch.before()));
        Secret secret = new SecretBuilder().withNewMetadata().withName(backupSecretName()).withNamespace(store.namespace())
                .withLabels(Labels.of(Labels.component(), store.migration()))
                .endMetadata().withStringData(values).build();
        KubeCalls.run("save the previous settings in Secret " + backupSecretName(), () -> {
            client.secrets().inNamespace(store.namespace()).withName(backupSecretName()).delete();
            return client.secrets().inNamespace(store.namespace()).resource(secret).create();
        });
    }

    private Map<String, String> backup() {
        return secretData(backupSecretName());
    }

    private void write(Ledger.SettingRef ref, String value) {
        String ns = store.namespace();
        switch (ref.kind()) {
            case "env" -> workloads.editTemplate(WorkloadRef.parse(ref.object()), t -> {
                t.getSpec().getContainers().stream().filter(c -> c.getName().equals(ref.container())).flatMap(c -> c.getEnv().stream())
                        .filter(v -> v.getName().equals(ref.key())).forEach(v -> v.setValue(value));
                return t;
            });
            case "configmap" -> KubeCalls.run("update " + ref.object(), () -> client.configMaps().inNamespace(ns)
                    .withName(name(ref)).edit(cm -> {
                        cm.getData().put(ref.key(), value);
                        return cm;
                    }));
            case "secret" -> KubeCalls.run("update " + ref.object(), () -> client.secrets().inNamespace(ns)
                    .withName(name(ref)).edit(s -> {
                        if (s.getData() == null) {
                            s.setData(new LinkedHashMap<>());
                        }
                        s.getData().put(ref.key(), Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
                        return s;
                    }));
            default -> throw new IllegalStateException(ref.kind());
        }
    }

    /** {@code kubectl rollout restart}: a new annotation on the pod template makes the controller replace every pod. */
    private void restartAndWait(List<WorkloadRef> apps, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        String now = clock.instant().toString();
        for (WorkloadRef app : apps) {
            workloads.editTemplate(app, t -> {
                t.getMetadata().getAnnotations().put(RESTARTED_AT, now);
                return t;
            });
        }
        List<String> late = new ArrayList<>();
        for (WorkloadRef app : apps) {
            int replicas = workloads.replicas(app).orElse(0);
            if (!workloads.awaitReady(app, replicas, Duration.between(clock.instant(), deadline))) {
                late.add(app + " has " + workloads.readyReplicas(app) + "/" + replicas + " ready");
            }
        }
        if (!late.isEmpty()) {
            throw new EngineException(ExitCode.APPS_NOT_RESTORED, "after the restart " + String.join("; ", late) + " after "
                    + timeout.toSeconds() + "s; the previous settings are kept in Secret " + backupSecretName()
                    + ": pgrelocate rollback restores them");
        }
    }

    private Map<String, String> configMapData(String name) {
        ConfigMap cm = KubeCalls.run("read configmap/" + name, () -> client.configMaps().inNamespace(store.namespace()).withName(name).get());
        return cm == null || cm.getData() == null ? Map.of() : cm.getData();
    }

    private Map<String, String> secretData(String name) {
        Secret s = KubeCalls.run("read secret/" + name, () -> client.secrets().inNamespace(store.namespace()).withName(name).get());
        Map<String, String> values = new LinkedHashMap<>();
        if (s != null && s.getData() != null) {
            s.getData().forEach((k, v) -> {
                byte[] bytes = Base64.getDecoder().decode(v);
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
                    values.put(k, text); // binary values (certificates, keystores) name no host and are left alone
                }
            });
        }
        if (s != null && s.getStringData() != null) {
            values.putAll(s.getStringData());
        }
        return values;
    }

    private static String name(Ledger.SettingRef ref) {
        return ref.object().substring(ref.object().indexOf('/') + 1);
    }
}
