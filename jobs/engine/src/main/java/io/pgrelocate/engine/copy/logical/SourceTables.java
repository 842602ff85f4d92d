package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.List;

/** The source's tables as logical replication sees them: which ones are published, which lack a replica identity. */
final class SourceTables {
    private final Db db;
    private final ObjectFilter filter;

    SourceTables(Db db, ObjectFilter filter) {
        this.db = db;
        this.filter = filter;
    }

    /** Permanent user tables; {@code more} narrows them further (SQL on pg_class c). */
    private List<String> tables(String more) {
        return db.list("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p' AND %s AND %s AND %s
                 ORDER BY n.nspname, c.relname
                """.formatted(filter.userSchemaPredicate("n.nspname"), Introspector.notExtensionMember("pg_class", "c.oid"), more),
                rs -> rs.getString(1));
    }

    /**
     * What the publication lists: the partitioned roots (and plain tables) when it publishes via
     * the root, else the leaves, which is how PostgreSQL before 13 publishes partitions.
     */
    List<String> published(boolean viaRoot) {
        return tables(viaRoot ? "NOT c.relispartition" : "c.relkind = 'r'");
    }

    /** Tables whose UPDATE and DELETE would fail on a publication: no primary key and replica identity default, or NOTHING. */
    List<String> withoutReplicaIdentity() {
        return tables("""
                c.relkind = 'r' AND (c.relreplident = 'n' OR (c.relreplident = 'd'
                    AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)))""");
    }

    List<String> partitioned() {
        return tables("c.relkind = 'p'");
    }

    /** Published tables the current user does not own (a publication FOR TABLE needs ownership). */
    List<String> notOwned() {
        return tables("NOT pg_has_role(current_user, c.relowner, 'USAGE')");
    }

    /** True when the filter leaves out none of the database's tables, so FOR ALL TABLES publishes exactly what is copied. */
    boolean filterKeepsAll() {
        return new SourceTables(db, ObjectFilter.NONE).published(false).size() == published(false).size();
    }
}
