package io.pgrelocate.engine.discover;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host name an application is configured with, found in one setting: a URL
 * ({@code postgres://app:pw@db:5432/x}, {@code jdbc:postgresql://db/x}), a libpq or config-file
 * {@code host=} / {@code host:}, or a whole value of a setting named like {@code *HOST*}.
 *
 * @param setting  the env variable or ConfigMap key it was found in
 * @param database whether the setting is about PostgreSQL (scheme or name), so an unknown host there
 *                 means an external database rather than, say, a cache
 */
record HostMention(String host, String setting, boolean database) {
    private static final Pattern URL = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*:(?:[a-zA-Z0-9+.-]+:)?)//(?:[^@/\\s?#]*@)?([A-Za-z0-9.-]+)");
    private static final Pattern KEYWORD = Pattern.compile("(?i)\\bhost[\"']?\\s*[=:]\\s*[\"']?([A-Za-z0-9.-]+)");
    private static final Pattern BARE_HOST = Pattern.compile("([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*)(?::\\d+)?");
    private static final Pattern DATABASE_SETTING = Pattern.compile("(?i).*(PG|POSTGRES|DATABASE|DB|DSN|SQL).*");

    static List<HostMention> in(String setting, String value) {
        List<HostMention> found = new ArrayList<>();
        if (value == null) {
            return found;
        }
        boolean databaseSetting = DATABASE_SETTING.matcher(setting).matches();
        Matcher url = URL.matcher(value);
        while (url.find()) {
            add(found, url.group(2), setting, databaseSetting || url.group(1).toLowerCase(Locale.ROOT).contains("postgres"));
        }
        Matcher keyword = KEYWORD.matcher(value);
        while (keyword.find()) {
            add(found, keyword.group(1), setting, databaseSetting);
        }
        Matcher bare = BARE_HOST.matcher(value.strip());
        if (setting.toUpperCase(Locale.ROOT).contains("HOST") && bare.matches() && bare.group(1).matches(".*[A-Za-z].*")) {
            add(found, bare.group(1), setting, databaseSetting);
        }
        return found;
    }

    private static void add(List<HostMention> found, String host, String setting, boolean database) {
        String h = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (!h.isEmpty()) {
            found.add(new HostMention(h, setting, database));
        }
    }

    /**
     * Whether this host reaches {@code service} of {@code namespace}: {@code svc}, {@code svc.ns},
     * {@code svc.ns.svc[.cluster.local]}, or a pod of a headless Service ({@code svc-0.svc-hl.ns.svc...}).
     */
    boolean reaches(String service, String namespace) {
        String[] labels = host.split("\\.");
        for (int i = 0; i < Math.min(2, labels.length); i++) {
            boolean inNamespace = labels.length == i + 1 ? i == 0 : labels[i + 1].equals(namespace);
            if (labels[i].equals(service) && inNamespace) {
                return true;
            }
        }
        return false;
    }
}
