package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.Locale;
import java.util.Map;

/**
 * An application role the CNPG cluster manages ({@code spec.managed.roles}) with the password the
 * application already has: its {@code passwordSecret} is a {@code kubernetes.io/basic-auth} Secret
 * pgrelocate makes, labelled pgrelocate and owned by nothing (so removing the source's operator
 * never removes it). The manifest of that Secret carries only the username and, in the annotation
 * {@value #PASSWORD_FROM}, the source Secret and key its password is copied from: no file holds a
 * password. {@code generate cnpg --apply} copies it ({@link RoleSecrets}); by hand, copy that key.
 *
 * @param name         the role, as the applications log in
 * @param sourceSecret the Secret the applications read the password from today, e.g. Zalando's
 *                     {@code <role>.<cluster>.credentials.postgresql.acid.zalan.do}
 * @param passwordKey  its key holding the password ({@code password} for Zalando and Bitnami)
 */
public record ManagedRole(String name, String sourceSecret, String passwordKey) {
    public static final String PASSWORD_FROM = "pgrelocate.io/password-from";

    /** {@code ROLE=SECRET} or {@code ROLE=SECRET/KEY} (the {@code --app-role} flag). */
    public static ManagedRole parse(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new SettingsException("--app-role " + value + ": use ROLE=SECRET or ROLE=SECRET/KEY (the Secret the application "
                    + "reads its password from)");
        }
        String secret = value.substring(eq + 1);
        int slash = secret.indexOf('/');
        return new ManagedRole(value.substring(0, eq), slash < 0 ? secret : secret.substring(0, slash),
                slash < 0 ? "password" : secret.substring(slash + 1));
    }

    /** The Secret's name: {@code <cluster>-role-<role>}, a DNS subdomain. */
    public String secretName(String cluster) {
        return cluster + "-role-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    }

    /** The {@code spec.managed.roles} entry. */
    Map<String, Object> entry(String cluster) {
        return Fields.of("name", name, "ensure", "present", "login", true, "inherit", true,
                "comment", "carried by pgrelocate; password from Secret " + sourceSecret,
                "passwordSecret", Map.of("name", secretName(cluster)));
    }

    /** The basic-auth Secret without its password; {@link #PASSWORD_FROM} names where the password comes from. */
    GenericKubernetesResource secret(String cluster, String namespace) {
        GenericKubernetesResource s = new GenericKubernetesResource();
        s.setApiVersion("v1");
        s.setKind("Secret");
        s.setMetadata(new ObjectMetaBuilder().withName(secretName(cluster)).withNamespace(namespace)
                .withLabels(Map.of(Fields.MANAGED_BY, "pgrelocate", "cnpg.io/reload", "true"))
                .withAnnotations(Map.of(PASSWORD_FROM, sourceSecret + "/" + passwordKey)).build());
        s.setAdditionalProperty("type", "kubernetes.io/basic-auth");
        s.setAdditionalProperty("stringData", Map.of("username", name));
        return s;
    }
}
