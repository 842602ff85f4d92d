package io.pgrelocate.engine.kube;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostRewriteTest {
    final HostRewrite rewrite = new HostRewrite(List.of(HostRewrite.Mapping.parse("acid-main=main-pooler-rw"),
            HostRewrite.Mapping.parse("acid-main-repl=main-pooler-ro")), "shop");

    @Test
    void replacesTheHostInEveryFormAndKeepsTheFormForAnInClusterTarget() {
        assertThat(rewrite.apply("acid-main")).isEqualTo("main-pooler-rw");
        assertThat(rewrite.apply("postgres://app@acid-main:5432/app")).isEqualTo("postgres://app@main-pooler-rw:5432/app");
        assertThat(rewrite.apply("jdbc:postgresql://acid-main.shop.svc:5432/app?ssl=true")).isEqualTo("jdbc:postgresql://main-pooler-rw.shop.svc:5432/app?ssl=true");
        assertThat(rewrite.apply("host=acid-main.shop.svc.cluster.local port=5432")).isEqualTo("host=main-pooler-rw.shop.svc.cluster.local port=5432");
        assertThat(rewrite.apply("acid-main-repl.shop")).isEqualTo("main-pooler-ro.shop");
    }

    @Test
    void leavesLookAlikesAndOtherNamespacesAlone() {
        assertThat(rewrite.apply("acid-main-replica-cache")).isEqualTo("acid-main-replica-cache");
        assertThat(rewrite.apply("acid-main.billing.svc")).isEqualTo("acid-main.billing.svc");
        assertThat(rewrite.apply("old-acid-main")).isEqualTo("old-acid-main");
        assertThat(rewrite.apply("info")).isEqualTo("info");
    }

    @Test
    void aManagedTargetReplacesTheWholeName() {
        HostRewrite managed = new HostRewrite(List.of(HostRewrite.Mapping.parse("acid-main=db1.abc.eu-west-1.rds.amazonaws.com")), "shop");

        assertThat(managed.apply("postgres://app@acid-main.shop.svc:5432/app")).isEqualTo("postgres://app@db1.abc.eu-west-1.rds.amazonaws.com:5432/app");
    }
}
