package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.SequenceValues;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Reads a {@link DatabaseSnapshot}. Read-only; row text is made inside the database. */
public final class SnapshotReader {
    /**
     * Output settings fixed so the same data prints the same text on any server and major.
     * row_security=off makes a policy that would hide rows raise an error instead of a silent miss.
     */
    static final String SESSION_SETTINGS = """
            SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres';
            SET extra_float_digits = 3; SET bytea_output = 'hex'; SET lc_monetary = 'C';
            SET row_security = off; SET default_transaction_read_only = on; SET search_path = pg_catalog
            """;

    private final Db db;
    private final ObjectFilter filter;
    private final Consumer<String> out;
    private final int jobs;
    private final String snapshot;
    private final SourceDigests streamed;
    private final boolean source;

    public SnapshotReader(Db db, ObjectFilter filter, Consumer<String> out) {
        this(db, filter, 1, null, out);
    }

    public SnapshotReader(Db db, ObjectFilter filter, int jobs, String snapshot, Consumer<String> out) {
        this(db, filter, jobs, snapshot, null, false, out);
    }

    /**
     * Digests tables on {@code jobs} sessions of {@code db}'s database; with {@code snapshot} (exported,
     * and {@code db} already in it) every further session reads in that snapshot too. The rows of the tables {@code streamed} digested during the copy are not read again on
     * the {@code source}, and read back with the copy's COPY on the target.
     */
    public SnapshotReader(Db db, ObjectFilter filter, int jobs, String snapshot, SourceDigests streamed, boolean source, Consumer<String> out) {
        this.streamed = streamed;
        this.source = source;
        this.db = db;
        this.filter = filter;
        this.jobs = jobs;
        this.snapshot = snapshot;
        this.out = out;
    }

    public DatabaseSnapshot read() {
        db.execute(SESSION_SETTINGS);
        return new DatabaseSnapshot(tables(), sequences(), largeObjects(), extensions(), schemaObjects(), DefinitionReader.read(db, filter));
    }

    /**
     * Everything but the rows (no table is digested): what still must match once the applications
     * write on the target after a switch. O(objects), not O(rows).
     */
    public DatabaseSnapshot readStructure() {
        db.execute(SESSION_SETTINGS);
        return new DatabaseSnapshot(new TreeMap<>(), sequences(), largeObjects(), extensions(), schemaObjects(), DefinitionReader.read(db, filter));
    }

    private SortedMap<String, TableDigest> tables() {
        String setup = snapshot == null ? SESSION_SETTINGS : SESSION_SETTINGS + "; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
                + "SET TRANSACTION SNAPSHOT " + ObjectFilter.literal(snapshot);
        return TableDigests.read(db, new Introspector(db, filter).tables(), jobs, TableDigests.SPLIT_BYTES, setup, out, streamed, source);
    }

    /**
     * Every sequence (owned by a column, an identity, or nothing) by schema.name, with last_value and is_called:
     * one catalog statement (pg_sequence_last_value, PostgreSQL 10+) for all those called at least once; only
     * the others, whose last_value it does not give, are read from the sequences themselves.
     */
    public SortedMap<String, SequenceState> sequences() {
        boolean lastValueFunction = new Introspector(db, filter).version().major() >= 10;
        List<String[]> names = db.list("""
                SELECT n.nspname, c.relname, %s FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'S' AND %s AND %s ORDER BY 1, 2
                """.formatted(lastValueFunction ? "pg_sequence_last_value(c.oid)::text" : "NULL::text", filter.userSchemaPredicate("n.nspname"),
                Introspector.notExtensionMember("pg_class", "c.oid")),
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        SortedMap<String, SequenceState> states = new TreeMap<>();
        List<String[]> uncalled = new java.util.ArrayList<>();
        for (String[] n : names) {
            if (n[2] != null) {
                states.put(n[0] + "." + n[1], new SequenceState(Long.parseLong(n[2]), true));
            } else {
                uncalled.add(n);
            }
        }
        List<SequenceValues.Value> values = SequenceValues.read(db, uncalled.stream().map(n -> Db.qualified(n[0], n[1])).toList());
        for (int i = 0; i < uncalled.size(); i++) {
            states.put(uncalled.get(i)[0] + "." + uncalled.get(i)[1], new SequenceState(values.get(i).lastValue(), values.get(i).isCalled()));
        }
        return states;
    }

    private DatabaseSnapshot.LargeObjectDigest largeObjects() {
        return db.one("""
                SELECT count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text
                  FROM (SELECT md5(oid::text || ':' || md5(lo_get(oid))) AS h FROM pg_largeobject_metadata) los
                """, rs -> new DatabaseSnapshot.LargeObjectDigest(rs.getLong(1), rs.getString(2)));
    }

    /** OID → md5 of content; only read when the summaries differ, to name the culprits. */
    public SortedMap<Long, String> largeObjectContents() {
        SortedMap<Long, String> map = new TreeMap<>();
        db.list("SELECT oid::bigint, md5(lo_get(oid)) FROM pg_largeobject_metadata",
                rs -> map.put(rs.getLong(1), rs.getString(2)));
        return map;
    }

    private SortedMap<String, String> extensions() {
        SortedMap<String, String> map = new TreeMap<>();
        new Introspector(db, filter).installedExtensions().forEach(e -> map.put(e.name(), e.version()));
        return map;
    }

    private SortedMap<String, SortedSet<String>> schemaObjects() {
        String schemas = filter.userSchemaPredicate("n.nspname");
        String sql = """
                SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                         WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'
                         ELSE 'index' END, n.nspname || '.' || c.relname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'i', 'I') AND %1$s AND %2$s
                UNION ALL
                SELECT 'rls table', n.nspname || '.' || c.relname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relrowsecurity AND %1$s
                UNION ALL
                SELECT 'constraint', n.nspname || '.' || coalesce(cl.relname, ty.typname) || '.' || co.conname
                  FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
                  LEFT JOIN pg_class cl ON cl.oid = co.conrelid LEFT JOIN pg_type ty ON ty.oid = co.contypid
                 WHERE co.contype <> 'n' AND %1$s
                UNION ALL
                SELECT 'function', n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE %1$s AND %3$s
                UNION ALL
                SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname
                  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE NOT t.tgisinternal AND %1$s
                UNION ALL
                SELECT 'policy', n.nspname || '.' || c.relname || '.' || p.polname
                  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE %1$s
                UNION ALL
                SELECT 'type', n.nspname || '.' || t.typname
                  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                  LEFT JOIN pg_class c ON c.oid = t.typrelid
                 WHERE (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND c.relkind = 'c')) AND %1$s AND %4$s
                UNION ALL
                SELECT 'schema', n.nspname FROM pg_namespace n WHERE %1$s
                """.formatted(schemas, Introspector.notExtensionMember("pg_class", "c.oid"), Introspector.notExtensionMember("pg_proc", "p.oid"),
                Introspector.notExtensionMember("pg_type", "t.oid"));
        SortedMap<String, SortedSet<String>> objects = new TreeMap<>();
        db.list(sql, rs -> objects.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2)));
        return objects;
    }
}
