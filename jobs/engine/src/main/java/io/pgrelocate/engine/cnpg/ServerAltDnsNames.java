package io.pgrelocate.engine.cnpg;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names the server certificate must carry so that clients with {@code sslmode=verify-full} can reach
 * any Service of the cluster or its Poolers, however short the host name they use.
 */
public final class ServerAltDnsNames {
    private ServerAltDnsNames() {
    }

    public static List<String> of(ClusterShape shape, List<String> poolerNames) {
        List<String> services = new ArrayList<>();
        for (String suffix : List.of("-rw", "-ro", "-r")) {
            services.add(shape.name() + suffix);
        }
        services.addAll(poolerNames);
        Set<String> names = new LinkedHashSet<>();
        String ns = shape.namespace();
        for (String service : services) {
            names.add(service);
            names.add(service + "." + ns);
            names.add(service + "." + ns + ".svc");
            names.add(service + "." + ns + ".svc.cluster.local");
        }
        names.addAll(shape.extraDnsNames());
        return List.copyOf(names);
    }
}
