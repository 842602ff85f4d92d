package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.kube.AppLogin;
import io.pgrelocate.engine.kube.ContainerEnv;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The kubelet's container start, for applications that really run: for every pod of the namespace whose
 * {@code app} label is one of {@code apps}, once it exists and until it is deleted, the first container's
 * environment is resolved from the API server at start time exactly as the kubelet does
 * ({@link ContainerEnv}), the database login is read from it ({@link AppLogin}), the Service host is
 * mapped to a local server ({@code services}: Service name → {@code 127.0.0.1:port}), and a writer runs:
 * it inserts {@code (pod, n)} into {@code app_writes} continuously and logs every acknowledged insert
 * with the server port that acknowledged it. A pod whose settings cannot be resolved is recorded as the
 * kubelet would show it ({@code CreateContainerConfigError}) and tried again. A deleted pod's writer stops;
 * a new pod gets a new writer with freshly resolved settings.
 */
public final class AppContainers implements AutoCloseable {
    /** The table every writer inserts into; the test creates it on the source. */
    public static final String TABLE_DDL = "CREATE TABLE app_writes(pod text NOT NULL, n bigint NOT NULL, PRIMARY KEY (pod, n))";

    /** One acknowledged insert: which pod, its number, the port of the server that acknowledged it, as which user. */
    public record Ack(String app, String pod, long n, int port, String user) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Set<String> apps;
    private final Map<String, Integer> services;
    private final Map<String, Writer> running = new ConcurrentHashMap<>();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final Map<String, String> configErrors = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

    public AppContainers(KubernetesClient client, String namespace, Set<String> apps, Map<String, Integer> services) {
        this.client = client;
        this.namespace = namespace;
        this.apps = Set.copyOf(apps);
        this.services = Map.copyOf(services);
        loop.scheduleWithFixedDelay(this::round, 0, 200, TimeUnit.MILLISECONDS);
    }

    public List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** The pods that run a writer now, by name. */
    public Set<String> runningPods() {
        return Set.copyOf(running.keySet());
    }

    /** Pods that could not start, with the kubelet's reason (CreateContainerConfigError). */
    public Map<String, String> configErrors() {
        return Map.copyOf(configErrors);
    }

    /** Failed logins and inserts, as the applications would log them. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    private void round() {
        try {
            List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
                    .filter(p -> p.getMetadata().getLabels() != null && apps.contains(p.getMetadata().getLabels().get("app")))
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            Set<String> alive = new java.util.HashSet<>();
            for (Pod p : pods) {
                alive.add(p.getMetadata().getName());
                running.computeIfAbsent(p.getMetadata().getName(), n -> start(p));
            }
            running.keySet().removeIf(name -> {
                if (alive.contains(name)) {
                    return false;
                }
                Writer w = running.get(name);
                if (w != null) {
                    w.stop();
                }
                return true;
            });
        } catch (RuntimeException e) {
            failures.add("kubelet round: " + e.getMessage());
        }
    }

    /** Starts the pod's container, or returns null: not started, tried again next round (a null is not kept by the map). */
    private Writer start(Pod pod) {
        String name = pod.getMetadata().getName();
        Container c = pod.getSpec().getContainers().get(0);
        try {
            Map<String, String> env = ContainerEnv.resolve(c, pod.getMetadata(), ContainerEnv.Objects.of(client, namespace));
            ConnectionSpec login = AppLogin.of(env).orElseThrow(() -> new ContainerEnv.ConfigError("no database login in the environment"));
            Integer port = services.get(login.host().split("\\.")[0]);
            if (port == null) {
                throw new ContainerEnv.ConfigError("host " + login.host() + " resolves to no test server");
            }
            configErrors.remove(name);
            return new Writer(pod.getMetadata().getLabels().get("app"), name, login, port);
        } catch (ContainerEnv.ConfigError | io.pgrelocate.engine.EngineException e) {
            configErrors.put(name, "CreateContainerConfigError: " + e.getMessage());
            return null;
        }
    }

    private final class Writer {
        private final AtomicBoolean on = new AtomicBoolean(true);
        private final Thread thread;

        Writer(String app, String pod, ConnectionSpec login, int port) {
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + login.database();
            thread = new Thread(() -> write(app, pod, url, login), "app-" + pod);
            thread.setDaemon(true);
            thread.start();
        }

        private void write(String app, String pod, String url, ConnectionSpec login) {
            long n = 1;
            Connection c = null;
            int serverPort = 0;
            while (on.get()) {
                try {
                    if (c == null) {
                        c = DriverManager.getConnection(url, login.jdbcProperties("app-" + pod));
                        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('port')::int")) {
                            rs.next();
                            serverPort = rs.getInt(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_writes(pod, n) VALUES (?, ?)")) {
                        ps.setString(1, pod);
                        ps.setLong(2, n);
                        ps.executeUpdate();
                    }
                    acks.add(new Ack(app, pod, n++, serverPort, login.user()));
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) { // an unacknowledged earlier attempt did commit
                        acks.add(new Ack(app, pod, n++, serverPort, login.user()));
                        continue;
                    }
                    failures.add(pod + ": " + e.getMessage());
                    close(c);
                    c = null;
                    sleep(50);
                }
                sleep(5);
            }
            close(c);
        }

        void stop() {
            on.set(false);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void close(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // a connection the fence terminated
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        FakeKubelet.stop(loop);
        running.values().forEach(Writer::stop);
        running.clear();
    }
}
