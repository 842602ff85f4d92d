package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Digests made in parallel and in page ranges are the digests of one query per table. */
class TableDigestsTest {
    @Test
    void rangesAndSessionsDoNotChangeTheDigest() {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "digest");
        pg.executeSql(db, """
                CREATE TABLE big (id int, payload text);
                INSERT INTO big SELECT g % 5000, md5(g::text) FROM generate_series(1, 80000) g;
                DELETE FROM big WHERE id BETWEEN 1000 AND 1500;
                CREATE TABLE small (a int); INSERT INTO small VALUES (1), (1), (NULL);
                CREATE TABLE empty (a int);
                CREATE MATERIALIZED VIEW mv AS SELECT id FROM big WHERE id < 10;
                """);
        try (Db session = Db.connect(TestServers.spec(pg, db))) {
            List<TableInfo> tables = new Introspector(session, ObjectFilter.NONE).tables();
            SortedMap<String, TableDigest> one = TableDigests.read(session, tables, 1, SnapshotReader.SESSION_SETTINGS, line -> { });
            SortedMap<String, TableDigest> split = TableDigests.read(session, tables, 3, 64 << 10, SnapshotReader.SESSION_SETTINGS, line -> { });

            assertThat(split).isEqualTo(one).containsOnlyKeys("public.big", "public.small", "public.empty", "public.mv");
            assertThat(one.get("public.big").rows()).isEqualTo(80000 - 501 * 16);
            assertThat(one.get("public.empty").digest()).isEqualTo("0/0");
            pg.executeSql(db, "UPDATE big SET payload = 'changed' WHERE ctid = (SELECT max(ctid) FROM big)");
            assertThat(TableDigests.read(session, tables, 3, 64 << 10, SnapshotReader.SESSION_SETTINGS, line -> { }).get("public.big"))
                    .isNotEqualTo(one.get("public.big"));
        }
    }

    @Test
    void manySmallTablesDigestedManyToAStatementMatchOneQueryEachAndADamagedRowShows() {
        LocalPostgres pg = TestServers.pg15();
        String db = TestServers.freshDatabase(pg, "digest_many");
        try (Db session = Db.connect(TestServers.spec(pg, db))) {
            for (int i = 1; i <= 250; i++) {
                session.execute("CREATE TABLE s" + i + " (id int PRIMARY KEY, v text);"
                        + " INSERT INTO s" + i + " SELECT g, md5((g * " + i + ")::text) FROM generate_series(1, 20) g");
            }
            List<TableInfo> tables = new Introspector(session, ObjectFilter.NONE).tables();
            SortedMap<String, TableDigest> batched = TableDigests.read(session, tables, 2, SnapshotReader.SESSION_SETTINGS, line -> { });

            assertThat(batched).hasSize(250);
            for (String name : List.of("s1", "s99", "s100", "s101", "s250")) {
                String alone = session.text("SELECT count(*) || ' ' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text || '/'"
                        + " || coalesce(sum(hashtextextended(t::text, 1)::numeric), 0)::text FROM ONLY public." + name + " t");
                TableDigest d = batched.get("public." + name);
                assertThat(d.rows() + " " + d.digest()).as(name).isEqualTo(alone);
            }
            session.execute("UPDATE s173 SET v = 'damaged' WHERE id = 7");
            SortedMap<String, TableDigest> after = TableDigests.read(session, tables, 2, SnapshotReader.SESSION_SETTINGS, line -> { });
            assertThat(after.keySet().stream().filter(k -> !after.get(k).equals(batched.get(k)))).containsExactly("public.s173");
        }
    }
}
