package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Points the applications at the target: every setting of theirs that names a source host — a
 * literal env value, a key of a ConfigMap or Secret they read — is rewritten, the applications are
 * restarted and must become ready. The previous values go to the Secret
 * {@code pgrelocate-cutover-<migration>} (they may hold passwords) and the ledger lists what was
 * changed, so {@link #revert} puts back every value exactly as it was.
 */
public final class Cutover {
    static final String RESTARTED_AT = "pgrelocate.io/restarted-at";
    /** The pseudo-setting of a workload that is restarted ({@code kubectl rollout restart}: a new pod-template annotation). */
    private static final String RESTART = "restart";
    /** The pseudo-setting of a workload that reads a copy of the old database's Secret or ConfigMap ({@link Adoption}). */
    private static final String ADOPT = "adopt";
    private static final Set<String> WORKLOAD_KINDS = Set.of("env", RESTART, ADOPT);

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
                if (sourceOwned(r)) {
                    // the old database's object goes with it at cleanup: the application reads a copy from now on
                    boolean seen = changes.stream().anyMatch(ch -> ch.ref().kind().equals(ADOPT) && ch.ref().object().equals(app.toString())
                            && ch.ref().key().equals(object));
                    if (!seen) {
                        changes.add(new Change(new Ledger.SettingRef(id(changes), ADOPT, app.toString(), null, object), r.name(),
                                Adoption.copyName(r.name())));
                    }
                    continue;
                }
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

    /**
     * Rewrites the settings, restarts the applications and waits until they are ready. All or nothing:
     * one write per object carries all of its changes (a workload's also its restart), and when one
     * write fails the objects already written are put back before this throws, naming the object.
     */
    public Ledger apply(List<WorkloadRef> apps, HostRewrite rewrite, Duration timeout) {
        Ledger ledger = store.read().orElseThrow(() -> new EngineException(ExitCode.LEDGER, "no ledger " + store.name()
                + ": cut over after the migration Job has copied and verified the data"));
        if (!ledger.cutover().isEmpty()) {
            throw new EngineException(ExitCode.LEDGER, "migration '" + store.migration() + "' is already cut over ("
                    + ledger.cutover().size() + " setting(s)); roll back first; nothing was changed");
        }
        List<Change> changes = new ArrayList<>(plan(apps, rewrite));
        if (changes.isEmpty()) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "no setting of " + apps + " names a source host; nothing was changed");
        }
        // the applications to restart, also those that only read a changed ConfigMap or Secret; the annotation's
        // previous value is kept like a setting's, so that putting it back restores the pod template exactly
        String now = clock.instant().toString();
        for (WorkloadRef app : apps) {
            Map<String, String> annotations = workloads.template(app).getMetadata().getAnnotations();
            changes.add(new Change(new Ledger.SettingRef("restart-" + (changes.size() + 1), RESTART, app.toString(), null, null),
                    annotations == null ? null : annotations.get(RESTARTED_AT), now));
        }
        saveBackup(changes);
        changes.stream().filter(ch -> ch.ref().kind().equals(ADOPT)).map(ch -> ch.ref().key()).distinct().forEach(object -> {
            Adoption.copy(client, store.namespace(), store.migration(), object.startsWith("secret/"), object.substring(object.indexOf('/') + 1), rewrite);
            out.accept("cutover: " + object + " belongs to the old database: the applications read " + Adoption.copyName(object.substring(object.indexOf('/') + 1)) + " from now on");
        });
        store.write(l -> l.cutover(changes.stream().map(Change::ref).toList()).phase("cutover-started", clock.instant()));
        List<List<Change>> done = new ArrayList<>();
        for (List<Change> object : byObject(changes)) {
            try {
                write(object, true);
            } catch (EngineException e) {
                throw putBack(done, e);
            }
            done.add(object);
            settings(object).forEach(ch -> out.accept("cutover: " + ch.ref() + " now names the target"));
        }
        awaitReady(apps, timeout);
        return store.write(l -> l.moveTo(Ledger.State.CUT_OVER, clock.instant()));
    }

    /**
     * Puts every rewritten setting back to its previous value and the applications' pod templates as
     * they were (which restarts them), waits until they are ready. Empty when there was no cutover to undo.
     */
    public Optional<Ledger> revert(Duration timeout) {
        Ledger ledger = store.read().orElse(null);
        if (ledger == null || ledger.cutover().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> previous = backup();
        List<Change> changes = new ArrayList<>();
        List<WorkloadRef> apps = new ArrayList<>();
        String now = clock.instant().toString();
        for (Ledger.SettingRef ref : ledger.cutover()) {
            if (ref.kind().equals(RESTART)) {
                apps.add(WorkloadRef.parse(ref.object()));
                // a ledger written before restarts were kept has no id: restart once more
                changes.add(new Change(ref, null, ref.id() == null ? now : previous.get(ref.id())));
                continue;
            }
            String value = previous.get(ref.id());
            if (value == null) {
                throw new EngineException(ExitCode.APPS_NOT_RESTORED, "the previous value of " + ref + " is missing from Secret "
                        + backupSecretName() + "; nothing more was restored");
            }
            changes.add(new Change(ref, null, value));
        }
        for (List<Change> object : byObject(changes)) {
            write(object, false);
            settings(object).forEach(ch -> out.accept("rollback: " + ch.ref() + " restored"));
        }
        awaitReady(apps, timeout);
        return Optional.of(store.write(l -> l.cutover(List.of()).phase("cutover-reverted", clock.instant())));
    }

    /** One list per object, ConfigMaps and Secrets before the workloads, so that restarted pods read the new values. */
    private static List<List<Change>> byObject(List<Change> changes) {
        Map<String, List<Change>> objects = new LinkedHashMap<>();
        changes.stream().sorted(Comparator.comparing(ch -> WORKLOAD_KINDS.contains(ch.ref().kind())))
                .forEach(ch -> objects.computeIfAbsent(ch.ref().object(), o -> new ArrayList<>()).add(ch));
        return List.copyOf(objects.values());
    }

    private static List<Change> settings(List<Change> object) {
        return object.stream().filter(ch -> !ch.ref().kind().equals(RESTART)).toList();
    }

    /**
     * After a failed write: every object already written gets its previous values back, and the ledger
     * says whether that worked. Returns the error to throw, which names the object that failed.
     */
    private EngineException putBack(List<List<Change>> done, EngineException failure) {
        List<String> notRestored = new ArrayList<>();
        for (int i = done.size() - 1; i >= 0; i--) {
            try {
                write(done.get(i).stream().map(ch -> new Change(ch.ref(), ch.after(), ch.before())).toList(), false);
            } catch (EngineException e) {
                notRestored.add(e.getMessage());
            }
        }
        if (notRestored.isEmpty()) {
            store.write(l -> l.cutover(List.of()).phase("cutover-failed", clock.instant()));
            return new EngineException(failure.exitCode(), failure.getMessage() + "; the cutover stopped there and put back the "
                    + done.size() + " object(s) it had written: every setting is as before", failure);
        }
        store.write(l -> l.phase("cutover-failed", clock.instant()));
        return new EngineException(failure.exitCode(), failure.getMessage() + "; putting back what was written failed too ("
                + String.join("; ", notRestored) + "): pgrelocate rollback restores it from Secret " + backupSecretName(), failure);
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
        // a restart annotation that was absent has no entry: putting it back removes it
        changes.stream().filter(ch -> ch.before() != null).forEach(ch -> values.put(ch.ref().id(), ch.before()));
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

    /**
     * One write of one object with all of {@code changes} (all of the same object). With {@code check}, a
     * value that is no longer the one planned is refused: somebody changed it since, and it is left alone.
     */
    private void write(List<Change> changes, boolean check) {
        Ledger.SettingRef first = changes.get(0).ref();
        String ns = store.namespace();
        String what = "update " + first.object();
        switch (first.kind()) {
            case "env", RESTART, ADOPT -> workloads.updateTemplate(WorkloadRef.parse(first.object()), t -> {
                changes.forEach(ch -> set(t, ch, check));
                return t;
            });
            case "configmap" -> KubeCalls.write(client, what, client.configMaps().inNamespace(ns).withName(name(first)), cm -> {
                Map<String, String> data = exists(first, cm).getData();
                changes.forEach(ch -> data.put(ch.ref().key(), checked(ch, data.get(ch.ref().key()), check)));
                return cm;
            });
            case "secret" -> KubeCalls.write(client, what, client.secrets().inNamespace(ns).withName(name(first)), s -> {
                if (exists(first, s).getData() == null) {
                    s.setData(new LinkedHashMap<>());
                }
                Map<String, String> data = s.getData();
                changes.forEach(ch -> {
                    String current = data.get(ch.ref().key()) == null ? null : decode(data.get(ch.ref().key()));
                    data.put(ch.ref().key(), Base64.getEncoder().encodeToString(checked(ch, current, check).getBytes(StandardCharsets.UTF_8)));
                });
                return s;
            });
            default -> throw new IllegalStateException(first.kind());
        }
    }

    /** Sets one env value, or the restart annotation (removed when its value is null), in a pod template. */
    private static void set(PodTemplateSpec t, Change ch, boolean check) {
        Ledger.SettingRef ref = ch.ref();
        if (ref.kind().equals(RESTART)) {
            Map<String, String> annotations = t.getMetadata().getAnnotations();
            if (ch.after() == null) {
                annotations.remove(RESTARTED_AT);
            } else {
                annotations.put(RESTARTED_AT, ch.after());
            }
            return;
        }
        if (ref.kind().equals(ADOPT)) {
            String original = ref.key().substring(ref.key().indexOf('/') + 1);
            String copy = Adoption.copyName(original);
            boolean toCopy = copy.equals(ch.after());
            Adoption.rename(t.getSpec(), ref.key().startsWith("secret/"), toCopy ? original : copy, ch.after());
            return;
        }
        EnvVar v = t.getSpec().getContainers().stream().filter(c -> c.getName().equals(ref.container()))
                .flatMap(c -> c.getEnv() == null ? Stream.<EnvVar>empty() : c.getEnv().stream())
                .filter(e -> e.getName().equals(ref.key())).findFirst()
                .orElseThrow(() -> new EngineException(ExitCode.FAILED, ref + " no longer exists"));
        v.setValue(checked(ch, v.getValue(), check));
    }

    private static String checked(Change ch, String current, boolean check) {
        if (check && !Objects.equals(current, ch.before())) {
            throw new EngineException(ExitCode.FAILED, ch.ref() + " was changed by someone else after the cutover read it");
        }
        return ch.after();
    }

    private static <T> T exists(Ledger.SettingRef ref, T object) {
        if (object == null) {
            throw new EngineException(ExitCode.FAILED, ref.object() + " no longer exists in the namespace");
        }
        return object;
    }

    private void awaitReady(List<WorkloadRef> apps, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        List<String> late = new ArrayList<>();
        for (WorkloadRef app : apps) {
            int replicas = workloads.replicas(app).orElse(0);
            if (!workloads.awaitReady(app, replicas, Duration.between(clock.instant(), deadline))) {
                late.add(app + " has " + workloads.progress(app, replicas));
            }
        }
        if (!late.isEmpty()) {
            throw new EngineException(ExitCode.APPS_NOT_RESTORED, "after the restart " + String.join("; ", late) + " after "
                    + timeout.toSeconds() + "s; the previous settings are kept in Secret " + backupSecretName()
                    + ": pgrelocate rollback restores them");
        }
    }

    private boolean sourceOwned(PodReferences.Ref r) {
        String ns = store.namespace();
        HasMetadata o = read((r.secret() ? "secret/" : "configmap/") + r.name(), () -> r.secret()
                ? client.secrets().inNamespace(ns).withName(r.name()).get() : client.configMaps().inNamespace(ns).withName(r.name()).get());
        return o != null && Adoption.sourceOwned(o);
    }

    /** Reads an object the applications reference; a 403 says where that right comes from. */
    private <T> T read(String object, java.util.function.Supplier<T> call) {
        try {
            return KubeCalls.run("read " + object, call);
        } catch (EngineException e) {
            if (e.getCause() instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 403) {
                throw new EngineException(ExitCode.KUBERNETES, "cannot read " + object + ", which the applications reference: the migration "
                        + "Job reads the applications' Secrets and ConfigMaps only through Role " + new CutoverGrant(client, store.namespace(),
                        store.migration()).name() + ", which `pgrelocate run migration` creates for the run (README: The applications after the move)", e);
            }
            throw e;
        }
    }

    private Map<String, String> configMapData(String name) {
        ConfigMap cm = read("configmap/" + name, () -> client.configMaps().inNamespace(store.namespace()).withName(name).get());
        return cm == null || cm.getData() == null ? Map.of() : cm.getData();
    }

    private Map<String, String> secretData(String name) {
        Secret s = read("secret/" + name, () -> client.secrets().inNamespace(store.namespace()).withName(name).get());
        Map<String, String> values = new LinkedHashMap<>();
        if (s != null && s.getData() != null) {
            s.getData().forEach((k, v) -> {
                String text = decode(v);
                if (text != null) {
                    values.put(k, text);
                }
            });
        }
        if (s != null && s.getStringData() != null) {
            values.putAll(s.getStringData());
        }
        return values;
    }

    /** The text of a Secret value, or null for a binary one (certificates, keystores name no host and are left alone). */
    private static String decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        String text = new String(bytes, StandardCharsets.UTF_8);
        return Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes) ? text : null;
    }

    private static String name(Ledger.SettingRef ref) {
        return ref.object().substring(ref.object().indexOf('/') + 1);
    }
}
