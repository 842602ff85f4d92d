package io.pgrelocate.engine.discover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Host names found in application settings, and whether they reach a Service of the namespace. */
class HostMentionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DATABASE_URL | postgres://app:p%40ss@db.shop.svc:5432/app?sslmode=require | db.shop.svc | true",
            "SPRING_DATASOURCE_URL | jdbc:postgresql://Db-Primary:5432/app | db-primary | true",
            "DSN | host=db port=5432 dbname=app | db | true",
            "APP_DSN | host = 'db' | db | true",
            "REDIS_HOST | redis:6379 | redis | false",
            "config.yaml | 'database:\n  host: db.shop\n' | db.shop | false"})
    void findsTheHostOfEachKindOfSetting(String setting, String value, String host, boolean database) {
        assertThat(HostMention.in(setting, value)).containsExactly(new HostMention(host, setting, database));
    }

    @Test
    void valuesWithoutAHostMentionNone() {
        assertThat(HostMention.in("DATABASE_POOL", "5")).isEmpty();
        assertThat(HostMention.in("LOG_LEVEL", "debug")).isEmpty();
        assertThat(HostMention.in("PGHOST", "$(DB_SERVICE)")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"db, true", "db.shop, true", "db.shop.svc.cluster.local, true", "db-0.db.shop.svc.cluster.local, true",
            "db.other, false", "db-replica, false", "shop.db, false"})
    void reachesTheServiceOnlyInItsNamespace(String host, boolean reaches) {
        assertThat(new HostMention(host, "PGHOST", true).reaches("db", "shop")).isEqualTo(reaches);
    }
}
