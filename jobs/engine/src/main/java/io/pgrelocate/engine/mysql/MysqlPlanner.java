package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.mysql.MysqlPlan.PostStatement;
import io.pgrelocate.engine.mysql.MysqlSchema.Column;
import io.pgrelocate.engine.mysql.MysqlSchema.ForeignKey;
import io.pgrelocate.engine.mysql.MysqlSchema.Index;
import io.pgrelocate.engine.mysql.MysqlSchema.Table;
import io.pgrelocate.engine.preflight.Check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns an introspected MySQL database into a {@link MysqlPlan} for one PostgreSQL schema. */
public final class MysqlPlanner {
    private static final Set<String> UTF8 = Set.of("utf8mb4", "utf8mb3", "utf8", "ascii", "binary");

    private final MysqlDb db;
    private final TypeOverrides overrides;
    private final PgNames names;
    private final String schema;
    private final List<Check> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> ownedTypes = new ArrayList<>();
    private final List<String> preData = new ArrayList<>();
    private final List<PostStatement> postData = new ArrayList<>();
    private final Map<String, String> targetNames = new HashMap<>();

    private MysqlPlanner(MysqlDb db, TypeOverrides overrides, PgNames.Case nameCase, String schema) {
        this.db = db;
        this.overrides = overrides;
        this.names = new PgNames(nameCase);
        this.schema = schema;
    }

    /** {@code db} is used for the few value checks a mapping depends on (tinyint(1) values, time beyond 24 h). */
    public static MysqlPlan plan(MysqlSchema source, MysqlDb db, TypeOverrides overrides, PgNames.Case nameCase, String schema) {
        return new MysqlPlanner(db, overrides, nameCase, schema).build(source);
    }

    /** The plan for some tables only (a merge takes the tables its mapping names). */
    public static MysqlPlan plan(MysqlSchema source, MysqlDb db, TypeOverrides overrides, String schema, Set<String> tables) {
        MysqlSchema some = new MysqlSchema(source.database(), source.version(), source.flavour(),
                source.tables().stream().filter(t -> tables.contains(t.name())).toList(), List.of());
        return new MysqlPlanner(db, overrides, PgNames.Case.LOWER, schema).build(some);
    }

    private MysqlPlan build(MysqlSchema source) {
        preData.add("CREATE SCHEMA IF NOT EXISTS " + PgNames.quote(schema));
        for (Table t : source.tables()) {
            String target = names.name(t.name());
            String clash = targetNames.values().contains(target) ? target : null;
            if (clash != null || !names.unique(target).equals(target)) {
                problems.add(Check.fail("identifier case", ExitCode.BAD_SETTINGS, "tables " + t.name() + " and another become "
                        + schema + "." + target + " under --identifier-case lower: pass --identifier-case preserve"));
            }
            targetNames.put(t.name(), target);
        }
        List<TablePlan> tables = new ArrayList<>();
        for (Table t : source.tables()) {
            tables.add(table(t, source.flavour()));
        }
        tables = alignForeignKeyTypes(source, tables);
        for (TablePlan t : tables) {
            preData.add("CREATE TABLE " + t.qualified() + " (" + t.columns().stream().map(MysqlPlanner::columnDdl)
                    .collect(Collectors.joining(", ")) + ")");
        }
        for (Table t : source.tables()) {
            foreignKeys(t);
        }
        source.views().forEach(v -> notes.add("view " + v.name() + " is not converted: recreate it on the target (source: "
                + v.definition() + ")"));
        return new MysqlPlan(schema, tables, preData, postData, ownedTypes, problems, notes);
    }

    private TablePlan table(Table t, MysqlSource.Flavour flavour) {
        String target = targetNames.get(t.name());
        String qualified = PgNames.quote(schema) + "." + PgNames.quote(target);
        List<ColumnPlan> columns = new ArrayList<>();
        for (Column c : t.columns()) {
            column(t, c, target, flavour).ifPresent(columns::add);
        }
        Map<String, String> colNames = columns.stream().collect(Collectors.toMap(ColumnPlan::source, ColumnPlan::target));
        if (t.comment() != null) {
            postData.add(new PostStatement("COMMENT ON TABLE " + qualified + " IS " + literal(t.comment()), false, "comment"));
        }
        for (Column c : t.columns()) {
            if (c.comment() != null && colNames.containsKey(c.name())) {
                postData.add(new PostStatement("COMMENT ON COLUMN " + qualified + "." + PgNames.quote(colNames.get(c.name()))
                        + " IS " + literal(c.comment()), false, "comment"));
            }
        }
        List<String> key = List.of();
        for (Index i : t.indexes()) {
            List<String> cols = i.columns().stream().map(c -> c == null ? null : colNames.get(c)).toList();
            if (cols.contains(null) || !"BTREE".equalsIgnoreCase(i.kind()) && !"HASH".equalsIgnoreCase(i.kind())) {
                notes.add("index " + t.name() + "." + i.name() + " (" + i.kind() + ", " + i.columns() + ") is not converted: create it by hand");
                continue;
            }
            if (i.hasPrefix()) {
                notes.add("index " + t.name() + "." + i.name() + " indexes column prefixes in MySQL; the whole columns on the target");
            }
            String colList = cols.stream().map(PgNames::quote).collect(Collectors.joining(", "));
            if (i.primary()) {
                key = cols;
                postData.add(new PostStatement("ALTER TABLE " + qualified + " ADD CONSTRAINT " + PgNames.quote(names.unique(target + "_pkey"))
                        + " PRIMARY KEY (" + colList + ")", false, "primary key"));
            } else {
                if (i.unique() && key.isEmpty() && cols.stream().allMatch(c -> columns.stream().anyMatch(p -> p.target().equals(c) && !p.nullable()))) {
                    key = cols;
                }
                postData.add(new PostStatement("CREATE " + (i.unique() ? "UNIQUE " : "") + "INDEX "
                        + PgNames.quote(names.unique(target + "_" + names.name(i.name()))) + " ON " + qualified + " (" + colList + ")",
                        false, "index"));
            }
        }
        for (MysqlSchema.Check check : t.checks()) {
            postData.add(new PostStatement("ALTER TABLE " + qualified + " ADD CONSTRAINT " + PgNames.quote(names.unique(target + "_" + names.name(check.name())))
                    + " CHECK (" + check.expression().replace('`', '"') + ")", true, "check " + t.name() + "." + check.name()));
        }
        return new TablePlan(t.name(), schema, target, columns, key, t.autoIncrement(), t.rowEstimate());
    }

    private Optional<ColumnPlan> column(Table t, Column c, String target, MysqlSource.Flavour flavour) {
        String where = t.name() + "." + c.name();
        String colName = names.name(c.name());
        Optional<MappedType> type = overrides.type(t.name(), c.name()).map(o -> MappedType.of(o, "override"));
        if (type.isEmpty()) {
            String enumName = c.dataType().equals("enum") ? names.unique(target + "_" + colName) : null;
            boolean beyondDay = c.dataType().equals("time") && count(t, "`c` < '00:00:00' OR `c` >= '24:00:00'", c) > 0;
            type = TypeMapping.map(c, enumName == null ? null : PgNames.quote(schema) + "." + PgNames.quote(enumName), beyondDay);
            if (type.isPresent() && type.get().isEnum()) {
                ownedTypes.add(PgNames.quote(schema) + "." + PgNames.quote(enumName));
                preData.add("CREATE TYPE " + type.get().pgType() + " AS ENUM (" + type.get().enumLabels().stream()
                        .map(MysqlPlanner::literal).collect(Collectors.joining(", ")) + ")");
            }
        }
        if (type.isEmpty()) {
            problems.add(Check.fail("unsupported type", ExitCode.BAD_SETTINGS, "column " + where + " has type " + c.columnType()
                    + ", which has no default mapping: give it a type in the mapping file (types: {" + t.name() + ": {" + c.name()
                    + ": bytea}}) or drop the column"));
            return Optional.empty();
        }
        MappedType mt = type.get();
        if (mt.kind() == ValueKind.BOOLEAN && c.dataType().equals("tinyint")) {
            long other = count(t, "`c` NOT IN (0, 1)", c);
            if (other > 0) {
                problems.add(Check.fail("boolean values", ExitCode.BAD_SETTINGS, "column " + where + " is tinyint(1) but " + other
                        + " rows hold values other than 0 and 1: map it to smallint in the mapping file (types: {" + t.name()
                        + ": {" + c.name() + ": smallint}})"));
            }
        }
        boolean identity = c.autoIncrement() && mt.kind() == ValueKind.INTEGER;
        if (identity && c.unsigned() && c.dataType().equals("bigint") && t.autoIncrement() != null && t.autoIncrement() < 0) {
            problems.add(Check.fail("identity range", ExitCode.BAD_SETTINGS, "column " + where + " is past 2^63: map it to numeric(20)"));
        }
        if (c.autoIncrement() && !identity) {
            notes.add("column " + where + " is AUTO_INCREMENT but maps to " + mt.pgType() + ": no identity on the target");
        }
        String def = null;
        if (!identity) {
            def = DefaultValue.of(c, mt.kind(), flavour).orElse(null);
            if (def != null && DefaultValue.unconvertible(def)) {
                notes.add("column " + where + " default " + c.defaultValue() + " is not converted");
                def = null;
            }
        }
        if (c.onUpdateCurrentTimestamp()) {
            notes.add("column " + where + " has ON UPDATE CURRENT_TIMESTAMP, which PostgreSQL has not: the application or a trigger must set it");
        }
        if (c.generated()) {
            notes.add("column " + where + " is generated (" + c.generationExpression() + "): copied as plain values");
        }
        if (c.charset() != null && !UTF8.contains(c.charset())) {
            notes.add("column " + where + " is " + c.charset() + " (" + c.collation() + "): stored as UTF-8 text");
        }
        return Optional.of(new ColumnPlan(c.name(), colName, mt, c.nullable(), def, identity));
    }

    /**
     * A referencing column gets its referenced column's type, which the mapping may have chosen
     * differently (bigint unsigned AUTO_INCREMENT → bigint, but bigint unsigned → numeric(20)):
     * PostgreSQL needs comparable types for a foreign key.
     */
    private List<TablePlan> alignForeignKeyTypes(MysqlSchema source, List<TablePlan> tables) {
        Map<String, TablePlan> bySource = new HashMap<>();
        tables.forEach(t -> bySource.put(t.source(), t));
        for (Table t : source.tables()) {
            for (ForeignKey fk : t.foreignKeys()) {
                TablePlan ref = bySource.get(fk.referencedTable());
                TablePlan mine = bySource.get(t.name());
                if (ref == null || mine == null) {
                    continue;
                }
                List<ColumnPlan> columns = new ArrayList<>(mine.columns());
                for (int i = 0; i < fk.columns().size(); i++) {
                    String refName = fk.referencedColumns().get(i);
                    Optional<ColumnPlan> refCol = ref.columns().stream().filter(c -> c.source().equals(refName)).findFirst();
                    for (int k = 0; k < columns.size(); k++) {
                        ColumnPlan c = columns.get(k);
                        if (c.source().equals(fk.columns().get(i)) && refCol.isPresent()
                                && !c.type().pgType().equals(refCol.get().type().pgType()) && !c.type().isEnum()) {
                            MappedType aligned = new MappedType(refCol.get().type().pgType(), refCol.get().kind(), null,
                                    "as the referenced " + ref.source() + "." + refName);
                            columns.set(k, new ColumnPlan(c.source(), c.target(), aligned, c.nullable(), c.defaultSql(), c.identity()));
                            notes.add("column " + t.name() + "." + c.source() + " becomes " + aligned.pgType() + " like the "
                                    + ref.source() + "." + refName + " it references");
                        }
                    }
                }
                TablePlan aligned = new TablePlan(mine.source(), mine.schema(), mine.target(), columns, mine.keyColumns(),
                        mine.nextIdentity(), mine.rowEstimate());
                bySource.put(t.name(), aligned);
            }
        }
        return tables.stream().map(t -> bySource.get(t.source())).toList();
    }

    private void foreignKeys(Table t) {
        String target = targetNames.get(t.name());
        for (ForeignKey fk : t.foreignKeys()) {
            String ref = targetNames.get(fk.referencedTable());
            if (ref == null) {
                notes.add("foreign key " + t.name() + "." + fk.name() + " references " + fk.referencedTable() + " outside the copy: left out");
                continue;
            }
            postData.add(new PostStatement("ALTER TABLE " + PgNames.quote(schema) + "." + PgNames.quote(target) + " ADD CONSTRAINT "
                    + PgNames.quote(names.unique(target + "_" + names.name(fk.name()))) + " FOREIGN KEY (" + quoted(fk.columns())
                    + ") REFERENCES " + PgNames.quote(schema) + "." + PgNames.quote(ref) + " (" + quoted(fk.referencedColumns())
                    + ") ON DELETE " + fk.onDelete() + " ON UPDATE " + fk.onUpdate(), false, "foreign key"));
        }
    }

    private String quoted(List<String> cols) {
        return cols.stream().map(c -> PgNames.quote(names.name(c))).collect(Collectors.joining(", "));
    }

    private long count(Table t, String condition, Column c) {
        String sql = "SELECT COUNT(*) FROM " + MysqlDb.quote(t.name()) + " WHERE " + condition.replace("`c`", MysqlDb.quote(c.name()));
        return Long.parseLong(db.text(sql));
    }

    private static String columnDdl(ColumnPlan c) {
        return PgNames.quote(c.target()) + " " + c.type().pgType()
                + (c.identity() ? " GENERATED BY DEFAULT AS IDENTITY" : "")
                + (c.defaultSql() != null ? " DEFAULT " + c.defaultSql() : "")
                + (c.nullable() ? "" : " NOT NULL");
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
