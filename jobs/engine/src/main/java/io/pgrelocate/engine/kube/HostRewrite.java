package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the source's Service host names by the target's inside a setting's text — a bare host,
 * a URL, a JDBC URL or a libpq string. {@code acid-main} also matches {@code acid-main.shop},
 * {@code acid-main.shop.svc} and {@code acid-main.shop.svc.cluster.local}, never {@code acid-main-repl}
 * or {@code acid-main.other}. An in-namespace target keeps the form the setting used; a target
 * outside the cluster (a name with dots) replaces it whole.
 */
public final class HostRewrite {
    /** One source host and where it goes, e.g. {@code acid-main=main-pooler-rw}. */
    public record Mapping(String from, String to) {
        public static Mapping parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new SettingsException("host mapping '" + text + "' is not SOURCE_HOST=TARGET_HOST, e.g. acid-main=main-pooler-rw");
            }
            return new Mapping(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
        }
    }

    private final List<Mapping> mappings;
    private final List<Pattern> patterns;

    public HostRewrite(List<Mapping> mappings, String namespace) {
        this.mappings = List.copyOf(mappings);
        String suffix = "(\\." + Pattern.quote(namespace) + "(?:\\.svc(?:\\.cluster\\.local)?)?)?";
        this.patterns = mappings.stream()
                .map(m -> Pattern.compile("(?<![A-Za-z0-9.-])" + Pattern.quote(m.from()) + suffix + "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])"))
                .toList();
    }

    /** Whether {@code host} is where a mapping points ({@code main-rw}, also {@code main-rw.shop.svc}). */
    public boolean namesTarget(String host) {
        return mappings.stream().anyMatch(m -> host.equals(m.to()) || host.startsWith(m.to() + "."));
    }

    /** The text with every source host replaced; the same text when none occurs. */
    public String apply(String text) {
        String result = text;
        for (int i = 0; i < mappings.size(); i++) {
            String to = mappings.get(i).to();
            Matcher m = patterns.get(i).matcher(result);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String form = to.contains(".") || m.group(1) == null ? "" : m.group(1);
                m.appendReplacement(sb, Matcher.quoteReplacement(to + form));
            }
            m.appendTail(sb);
            result = sb.toString();
        }
        return result;
    }
}
