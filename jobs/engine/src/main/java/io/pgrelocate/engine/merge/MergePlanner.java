package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.merge.MergePlan.Feed;
import io.pgrelocate.engine.merge.MergePlan.ForeignKeyPlan;
import io.pgrelocate.engine.merge.MergePlan.TargetTable;
import io.pgrelocate.engine.mysql.ColumnPlan;
import io.pgrelocate.engine.mysql.MappedType;
import io.pgrelocate.engine.mysql.MysqlPlan;
import io.pgrelocate.engine.mysql.MysqlPlanner;
import io.pgrelocate.engine.mysql.MysqlSchema;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.TablePlan;
import io.pgrelocate.engine.mysql.TypeOverrides;
import io.pgrelocate.engine.mysql.ValueKind;
import io.pgrelocate.engine.preflight.Check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a mapping against the real sources and decides the target: every named table and column
 * must exist, every type map, the key be provided by every feed. Column types come from the first
 * feed that has the column (MySQL enums become text, as other sources feed the same column) unless
 * {@code casts} names one. Foreign keys of the sources between mapped tables carry over and order the load.
 */
final class MergePlanner {
    /** A source column: its name, the type it would get, and NOT NULL. */
    private record SourceColumn(String name, MappedType type, boolean nullable) {
    }

    private final MergeMapping mapping;
    private final MergeSources sources;
    private final List<Check> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** (source, source table) → target table, to carry foreign keys over. */
    private final Map<String, String> targetOf = new HashMap<>();
    private final Map<String, Map<String, String>> renames = new HashMap<>();

    private MergePlanner(MergeMapping mapping, MergeSources sources) {
        this.mapping = mapping;
        this.sources = sources;
    }

    static MergePlan plan(MergeMapping mapping, MergeSources sources) {
        return new MergePlanner(mapping, sources).build();
    }

    private MergePlan build() {
        List<TargetTable> tables = new ArrayList<>();
        for (MergeMapping.Table t : mapping.tables()) {
            tables.add(table(t));
        }
        List<ForeignKeyPlan> fks = foreignKeys();
        return new MergePlan(mapping.schema(), order(tables, fks), fks, problems, notes);
    }

    private TargetTable table(MergeMapping.Table t) {
        Map<String, ColumnPlan> target = new LinkedHashMap<>();
        Map<String, Integer> feedsHaving = new HashMap<>();
        List<Feed> feeds = new ArrayList<>();
        Map<String, String> casts = t.casts() == null ? Map.of() : t.casts();
        for (MergeMapping.Feed f : t.from()) {
            MergeSources.Opened src = sources.get(f.source());
            String where = "mapping table " + t.name() + " from " + f.source() + "." + f.table();
            Map<String, String> sourceCasts = new HashMap<>();
            Map<String, String> columnRenames = f.columns() == null ? Map.of() : f.columns();
            casts.forEach((col, type) -> columnRenames.entrySet().stream().filter(e -> e.getValue().equals(col)).findFirst()
                    .ifPresentOrElse(e -> sourceCasts.put(e.getKey(), type), () -> sourceCasts.put(col, type)));
            List<SourceColumn> columns = columns(src, f.table(), sourceCasts, where);
            if (columns == null) {
                continue;
            }
            List<String> names = columns.stream().map(SourceColumn::name).toList();
            List<String> named = new ArrayList<>(columnRenames.keySet());
            if (f.skip() != null) {
                named.addAll(f.skip());
            }
            for (String n : named) {
                if (!names.contains(n)) {
                    problems.add(Check.fail("mapping", ExitCode.BAD_SETTINGS, where + ": the source has no column '" + n
                            + "' (it has " + names + "): fix the mapping"));
                }
            }
            List<ColumnPlan> feedColumns = new ArrayList<>();
            for (SourceColumn c : columns) {
                if (f.skip() != null && f.skip().contains(c.name())) {
                    continue;
                }
                String targetName = columnRenames.getOrDefault(c.name(), c.name().toLowerCase(Locale.ROOT));
                MappedType type = c.type().isEnum() ? MappedType.of("text", "enum → text (merge)") : c.type();
                ColumnPlan existing = target.get(targetName);
                if (existing == null) {
                    target.put(targetName, new ColumnPlan(targetName, targetName, type, c.nullable(), null, false));
                } else {
                    if (!existing.type().pgType().equals(type.pgType()) && !casts.containsKey(targetName)) {
                        notes.add("table " + t.name() + " column " + targetName + ": " + f.source() + " gives " + type.pgType()
                                + ", an earlier source " + existing.type().pgType() + "; the earlier is used (casts: chooses)");
                    }
                    target.put(targetName, new ColumnPlan(targetName, targetName, existing.type(), existing.nullable() || c.nullable(), null, false));
                }
                feedsHaving.merge(targetName, 1, Integer::sum);
                feedColumns.add(new ColumnPlan(c.name(), targetName, null, c.nullable(), null, false));
            }
            targetOf.put(f.source() + "\0" + f.table(), t.name());
            Map<String, String> renamed = new HashMap<>();
            feedColumns.forEach(c -> renamed.put(c.source(), c.target()));
            renames.put(f.source() + "\0" + f.table(), renamed);
            feeds.add(new Feed(f.source(), src.mysql() != null, src.mysql() != null ? f.table() : PgNames.quote(src.pgSchema()) + "."
                    + PgNames.quote(f.table()), f.source() + "." + f.table(), feedColumns));
            for (String k : t.key()) {
                if (feedColumns.stream().noneMatch(c -> c.target().equals(k))) {
                    problems.add(Check.fail("mapping", ExitCode.BAD_SETTINGS, where + " provides no key column '" + k
                            + "': rename a source column to it (columns: {source_column: " + k + "})"));
                }
            }
        }
        // Types are the target's: a cast or the first feed's. Columns some feed lacks may be NULL.
        List<ColumnPlan> columns = new ArrayList<>();
        for (ColumnPlan c : target.values()) {
            MappedType type = casts.containsKey(c.target()) ? MappedType.of(casts.get(c.target()), "cast") : c.type();
            boolean inAll = feedsHaving.getOrDefault(c.target(), 0) == feeds.size();
            columns.add(new ColumnPlan(c.target(), c.target(), type, !t.key().contains(c.target()) && (c.nullable() || !inAll), null, false));
        }
        for (String k : t.key()) {
            if (!target.containsKey(k) && feeds.size() == t.from().size()) {
                problems.add(Check.fail("mapping", ExitCode.BAD_SETTINGS, "mapping table " + t.name() + ": key column '" + k
                        + "' is none of its columns " + target.keySet() + ": fix key"));
            }
        }
        Map<String, MappedType> types = new HashMap<>();
        columns.forEach(c -> types.put(c.target(), c.type()));
        List<Feed> typed = feeds.stream().map(f -> new Feed(f.source(), f.mysql(), f.sourceTable(), f.display(), f.columns().stream()
                .map(c -> new ColumnPlan(c.source(), c.target(), types.get(c.target()), c.nullable(), null, false)).toList())).toList();
        return new TargetTable(mapping.schema(), t.name(), columns, t.key(), t.policy(), typed);
    }

    private List<SourceColumn> columns(MergeSources.Opened src, String table, Map<String, String> casts, String where) {
        if (src.mysql() != null) {
            MysqlSchema schema = src.mysqlSchema();
            if (schema.table(table).isEmpty()) {
                problems.add(Check.fail("mapping", ExitCode.BAD_SETTINGS, where + ": the source has no table '" + table + "' (it has "
                        + schema.tables().stream().map(MysqlSchema.Table::name).toList() + "): fix the mapping"));
                return null;
            }
            MysqlPlan plan = MysqlPlanner.plan(schema, src.mysql(), new TypeOverrides(Map.of(table, casts)), mapping.schema(), Set.of(table));
            problems.addAll(plan.problems());
            TablePlan tp = plan.tables().get(0);
            return tp.columns().stream().map(c -> new SourceColumn(c.source(), c.type(), c.nullable())).toList();
        }
        String qualified = PgNames.quote(src.pgSchema()) + "." + PgNames.quote(table);
        List<SourceColumn> cols = src.pg().list("SELECT attname, format_type(atttypid, atttypmod), NOT attnotnull FROM pg_attribute "
                        + "WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                rs -> new SourceColumn(rs.getString(1), MappedType.of(rs.getString(2), "source type"), rs.getBoolean(3)), qualified);
        if (cols.isEmpty()) {
            List<String> present = src.pg().list("SELECT relname FROM pg_class WHERE relnamespace = to_regnamespace(?) AND relkind IN ('r', 'p') "
                    + "ORDER BY 1", rs -> rs.getString(1), PgNames.quote(src.pgSchema()));
            problems.add(Check.fail("mapping", ExitCode.BAD_SETTINGS, where + ": the source has no table " + src.pgSchema() + "." + table
                    + " (it has " + present + "): fix the mapping"));
            return null;
        }
        return cols.stream().map(c -> casts.containsKey(c.name()) ? new SourceColumn(c.name(), MappedType.of(casts.get(c.name()), "cast"),
                c.nullable()) : c).toList();
    }

    /** The sources' foreign keys whose both ends are mapped. */
    private List<ForeignKeyPlan> foreignKeys() {
        Set<ForeignKeyPlan> out = new LinkedHashSet<>();
        for (MergeMapping.Table t : mapping.tables()) {
            for (MergeMapping.Feed f : t.from()) {
                MergeSources.Opened src = sources.get(f.source());
                record Fk(List<String> columns, String refTable, List<String> refColumns, String onDelete) {
                }
                List<Fk> fks = new ArrayList<>();
                if (src.mysql() != null) {
                    src.mysqlSchema().table(f.table()).ifPresent(st -> st.foreignKeys().forEach(fk ->
                            fks.add(new Fk(fk.columns(), fk.referencedTable(), fk.referencedColumns(), fk.onDelete()))));
                } else {
                    src.pg().list("SELECT (SELECT relname FROM pg_class WHERE oid = c.confrelid), "
                                    + "ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a "
                                    + "ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[], "
                                    + "ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a "
                                    + "ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[], c.confdeltype::text "
                                    + "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = to_regclass(?)",
                            rs -> fks.add(new Fk(List.of((String[]) rs.getArray(2).getArray()), rs.getString(1),
                                    List.of((String[]) rs.getArray(3).getArray()), switch (rs.getString(4)) {
                                        case "c" -> "CASCADE";
                                        case "n" -> "SET NULL";
                                        case "d" -> "SET DEFAULT";
                                        case "r" -> "RESTRICT";
                                        default -> "NO ACTION";
                                    })), PgNames.quote(src.pgSchema()) + "." + PgNames.quote(f.table()));
                }
                Map<String, String> mine = renames.getOrDefault(f.source() + "\0" + f.table(), Map.of());
                for (Fk fk : fks) {
                    String ref = targetOf.get(f.source() + "\0" + fk.refTable());
                    Map<String, String> theirs = renames.getOrDefault(f.source() + "\0" + fk.refTable(), Map.of());
                    if (ref == null || !mine.keySet().containsAll(fk.columns()) || !theirs.keySet().containsAll(fk.refColumns())) {
                        continue;
                    }
                    out.add(new ForeignKeyPlan(t.name(), fk.columns().stream().map(mine::get).toList(), ref,
                            fk.refColumns().stream().map(theirs::get).toList(), fk.onDelete()));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The mapping's loadOrder, else referenced tables before the tables that reference them. */
    private List<TargetTable> order(List<TargetTable> tables, List<ForeignKeyPlan> fks) {
        Map<String, TargetTable> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        if (mapping.loadOrder() != null) {
            if (!new LinkedHashSet<>(mapping.loadOrder()).equals(byName.keySet())) {
                problems.add(Check.fail("mapping", ExitCode.BAD_SETTINGS, "loadOrder " + mapping.loadOrder()
                        + " must name every target table once: " + byName.keySet()));
                return tables;
            }
            return mapping.loadOrder().stream().map(byName::get).toList();
        }
        List<TargetTable> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (out.size() < tables.size()) {
            boolean progressed = false;
            for (TargetTable t : tables) {
                boolean ready = fks.stream().filter(fk -> fk.table().equals(t.name()) && !fk.referencedTable().equals(t.name()))
                        .allMatch(fk -> done.contains(fk.referencedTable()));
                if (!done.contains(t.name()) && ready) {
                    out.add(t);
                    done.add(t.name());
                    progressed = true;
                }
            }
            if (!progressed) {
                notes.add("foreign keys form a cycle among " + byName.keySet() + ": loaded in mapping order (set loadOrder)");
                tables.stream().filter(t -> !done.contains(t.name())).forEach(out::add);
                break;
            }
        }
        return out;
    }

}
