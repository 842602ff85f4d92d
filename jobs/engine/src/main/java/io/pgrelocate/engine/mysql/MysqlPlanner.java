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
    /**
     * Charsets in which every byte sequence the server holds converts to UTF-8 and back (latin1: MySQL's cp1252 maps
     * its five undefined bytes to U+0081…U+009D). The others are checked value by value: a single-byte charset takes
     * any byte (ascii 0xE9, cp1250 0x81), and reading it as UTF-8 would silently give '?'.
     */
    private static final Set<String> CONVERTIBLE = Set.of("utf8mb4", "utf8mb3", "utf8", "binary", "latin1");
    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
    private static final int SCANS = 4;

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
    private ValueScan scan = ValueScan.none();

    private MysqlPlanner(MysqlDb db, TypeOverrides overrides, PgNames.Case nameCase, String schema) {
        this.db = db;
        this.overrides = overrides;
        this.names = new PgNames(nameCase);
        this.schema = schema;
    }

    /** {@code db} reads the values a mapping depends on ({@link ValueScan}); null plans from the schema alone. */
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
        Map<String, String> byTarget = new HashMap<>();
        for (Table t : source.tables()) {
            String target = PgNames.fitted(names.name(t.name()));
            String other = byTarget.putIfAbsent(target, t.name());
            if (other != null) {
                problems.add(collision("tables " + other + " and " + t.name(), schema + "." + target, other, t.name()));
            }
            names.unique(target);
            targetNames.put(t.name(), target);
            Map<String, String> columns = new HashMap<>();
            for (Column c : t.columns()) {
                String col = PgNames.fitted(names.name(c.name()));
                String before = columns.putIfAbsent(col, c.name());
                if (before != null) {
                    problems.add(collision("columns " + t.name() + "." + before + " and " + t.name() + "." + c.name(),
                            schema + "." + target + "." + col, before, c.name()));
                }
            }
        }
        scan = db == null ? ValueScan.none() : ValueScan.run(db, source.tables(), source.tables().stream()
                .flatMap(t -> t.columns().stream().flatMap(c -> probes(t, c).stream())).toList(), SCANS);
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
            postData.add(new PostStatement(qualified, "COMMENT ON TABLE " + qualified + " IS " + literal(t.comment()), false, "comment"));
        }
        for (Column c : t.columns()) {
            if (c.comment() != null && colNames.containsKey(c.name())) {
                postData.add(new PostStatement(qualified, "COMMENT ON COLUMN " + qualified + "." + PgNames.quote(colNames.get(c.name()))
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
                postData.add(new PostStatement(qualified, "ALTER TABLE " + qualified + " ADD CONSTRAINT " + PgNames.quote(names.unique(target + "_pkey"))
                        + " PRIMARY KEY (" + colList + ")", false, "primary key"));
            } else {
                if (i.unique() && key.isEmpty() && cols.stream().allMatch(c -> columns.stream().anyMatch(p -> p.target().equals(c) && !p.nullable()))) {
                    key = cols;
                }
                postData.add(new PostStatement(qualified, "CREATE " + (i.unique() ? "UNIQUE " : "") + "INDEX "
                        + PgNames.quote(names.unique(target + "_" + names.name(i.name()))) + " ON " + qualified + " (" + colList + ")",
                        false, "index"));
            }
        }
        onUpdate(t, qualified, target, colNames);
        for (MysqlSchema.Check check : t.checks()) {
            postData.add(new PostStatement(qualified, "ALTER TABLE " + qualified + " ADD CONSTRAINT " + PgNames.quote(names.unique(target + "_" + names.name(check.name())))
                    + " CHECK (" + check.expression().replace('`', '"') + ")", true, "check " + t.name() + "." + check.name()));
        }
        return new TablePlan(t.name(), schema, target, columns, key, t.autoIncrement(), t.rowEstimate());
    }

    private Optional<ColumnPlan> column(Table t, Column c, String target, MysqlSource.Flavour flavour) {
        String where = t.name() + "." + c.name();
        String colName = names.name(c.name());
        Optional<String> override = overrides.type(t.name(), c.name()).filter(o -> !o.equals(TypeOverrides.ENUM));
        Optional<MappedType> type = override.map(o -> MappedType.of(o, "override"));
        if (type.isEmpty()) {
            String enumName = c.dataType().equals("enum") ? names.unique(target + "_" + colName) : null;
            boolean beyondDay = found(t, c, ValueScan.Kind.BEYOND_DAY).isPresent();
            type = TypeMapping.map(c, enumName == null ? null : PgNames.quote(schema) + "." + PgNames.quote(enumName), beyondDay)
                    .map(m -> lossless(t, c, m));
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
        refusals(t, c, mt, override.isPresent());
        boolean identity = c.autoIncrement() && mt.kind() == ValueKind.INTEGER;
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
        if (c.generated()) {
            notes.add("column " + where + " is generated (" + c.generationExpression() + "): copied as plain values");
        }
        if (c.charset() != null && !UTF8.contains(c.charset()) && mt.kind() == ValueKind.TEXT) {
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
            postData.add(new PostStatement(null, "ALTER TABLE " + PgNames.quote(schema) + "." + PgNames.quote(target) + " ADD CONSTRAINT "
                    + PgNames.quote(names.unique(target + "_" + names.name(fk.name()))) + " FOREIGN KEY (" + quoted(fk.columns())
                    + ") REFERENCES " + PgNames.quote(schema) + "." + PgNames.quote(ref) + " (" + quoted(fk.referencedColumns())
                    + ") ON DELETE " + fk.onDelete() + " ON UPDATE " + fk.onUpdate(), false, "foreign key"));
        }
    }

    private String quoted(List<String> cols) {
        return cols.stream().map(c -> PgNames.quote(names.name(c))).collect(Collectors.joining(", "));
    }

    /**
     * The probes a column needs: on the type it would get without looking at values (its override, or the
     * default table), for every value the copy could refuse or a mapping would change.
     */
    private List<ValueScan.Probe> probes(Table t, Column c) {
        Optional<String> override = overrides.type(t.name(), c.name()).filter(o -> !o.equals(TypeOverrides.ENUM));
        Optional<MappedType> type = override.map(o -> MappedType.of(o, "override")).or(() -> TypeMapping.map(c, "\"e\"", false));
        if (type.isEmpty()) {
            return List.of();
        }
        MappedType mt = type.get();
        List<ValueScan.Probe> out = new ArrayList<>();
        java.util.function.BiConsumer<ValueScan.Kind, String> probe = (kind, sql) -> out.add(new ValueScan.Probe(t.name(), c.name(), kind, sql));
        if (mt.kind() == ValueKind.BOOLEAN && IntegerRange.of(c).isPresent()) {
            probe.accept(ValueScan.Kind.NOT_BOOLEAN, "{c} NOT IN (0, 1)");
        }
        if (c.dataType().equals("time") && override.isEmpty()) {
            probe.accept(ValueScan.Kind.BEYOND_DAY, "{c} < '00:00:00' OR {c} >= '24:00:00'");
        }
        // in a nullable column every zero date becomes NULL (counted by the copy): only NOT NULL columns need a look;
        // a timestamp holds the whole zero date or a valid one, never a partial one
        if (!c.nullable() && Set.of("date", "datetime", "timestamp").contains(c.dataType())
                && Set.of(ValueKind.DATE, ValueKind.TIMESTAMP, ValueKind.TIMESTAMPTZ).contains(mt.kind())) {
            probe.accept(ValueScan.Kind.ZERO_DATE, "{c} = 0");
            if (!c.dataType().equals("timestamp")) {
                probe.accept(ValueScan.Kind.PARTIAL_DATE, "(YEAR({c}) = 0 OR MONTH({c}) = 0 OR DAYOFMONTH({c}) = 0) AND {c} <> 0");
            }
        }
        if (mt.isEnum() && !mt.enumLabels().contains("")) {
            probe.accept(ValueScan.Kind.INVALID_ENUM, "{c} + 0 = 0");
        }
        Optional<IntegerRange> source = IntegerRange.of(c);
        Optional<IntegerRange> targetRange = IntegerRange.of(mt.pgType());
        if (source.isPresent() && targetRange.isPresent() && !targetRange.get().holds(source.get())) {
            probe.accept(ValueScan.Kind.OUT_OF_RANGE, "{c} < " + targetRange.get().min() + " OR {c} > " + targetRange.get().max());
        }
        if (c.dataType().equals("json") && mt.pgType().equals("jsonb")) {
            probe.accept(ValueScan.Kind.JSON_NUL, "LOCATE('\\\\u0000', {c}) > 0");
        }
        if (TEXT_TYPES.contains(c.dataType()) && c.charset() != null && !CONVERTIBLE.contains(c.charset()) && mt.kind() == ValueKind.TEXT) {
            // the round trip through UTF-8 gives other bytes exactly where a byte has no character in the charset
            probe.accept(ValueScan.Kind.BAD_BYTES, "CAST(CONVERT(CONVERT({c} USING utf8mb4) USING " + c.charset() + ") AS BINARY)"
                    + " <> CAST({c} AS BINARY)");
        }
        return out;
    }

    private Optional<ValueScan.Found> found(Table t, Column c, ValueScan.Kind kind) {
        return scan.of(t.name(), c.name(), kind);
    }

    private String example(Table t, ValueScan.Found f) {
        return f.example(t.primaryKey().map(MysqlSchema.Index::columns).orElse(List.of()));
    }

    /**
     * The default type, changed where the values need it and a lossless choice exists (each said in a note):
     * tinyint(1) holding other values → smallint, invalid enum values kept as the label '', bigint unsigned
     * AUTO_INCREMENT past 2^63 → numeric(20), JSON holding \u0000 → json. Zero dates in a NOT NULL column
     * keep the type and become -infinity (see {@link CopyEncoder}).
     */
    private MappedType lossless(Table t, Column c, MappedType m) {
        String where = "column " + t.name() + "." + c.name() + ": ";
        Optional<ValueScan.Found> f;
        if ((f = found(t, c, ValueScan.Kind.NOT_BOOLEAN)).isPresent()) {
            notes.add(where + f.get().rows() + " rows hold values other than 0 and 1" + example(t, f.get()) + ": smallint, not boolean");
            return MappedType.of("smallint", "tinyint(1) holding other values → smallint");
        }
        if ((f = found(t, c, ValueScan.Kind.OUT_OF_RANGE)).isPresent() || m.kind() == ValueKind.INTEGER && c.autoIncrement()
                && c.unsigned() && c.dataType().equals("bigint") && t.autoIncrement() != null && t.autoIncrement() < 0) {
            notes.add(where + (f.isPresent() ? f.get().rows() + " values" + example(t, f.get()) : "the next AUTO_INCREMENT value")
                    + " lie beyond bigint: numeric(20), without identity");
            return MappedType.of("numeric(20)", "bigint unsigned past 2^63 → numeric(20)");
        }
        if ((f = found(t, c, ValueScan.Kind.INVALID_ENUM)).isPresent()) {
            notes.add(where + f.get().rows() + " rows hold the invalid value ''" + example(t, f.get()) + ": kept as an enum label ''");
            List<String> labels = new ArrayList<>(List.of(""));
            labels.addAll(m.enumLabels());
            return new MappedType(m.pgType(), m.kind(), labels, m.rule() + ", invalid '' kept as a label");
        }
        if ((f = found(t, c, ValueScan.Kind.JSON_NUL)).isPresent()) {
            notes.add(where + f.get().rows() + " documents hold \\u0000" + example(t, f.get()) + ", which jsonb refuses: json");
            return MappedType.of("json", "json holding \\u0000 → json");
        }
        return m;
    }

    /**
     * Values no mapping can take without losing them, or that a chosen override would lose: each stops preflight.
     * Whole zero dates in a NOT NULL column keep the type and become -infinity (see {@link CopyEncoder}): noted.
     */
    private void refusals(Table t, Column c, MappedType mt, boolean overridden) {
        String where = "column " + t.name() + "." + c.name() + ": ";
        String fix = "types: {" + t.name() + ": {" + c.name() + ": ";
        Optional<ValueScan.Found> f;
        if (!c.nullable() && (f = found(t, c, ValueScan.Kind.ZERO_DATE)).isPresent()) {
            notes.add(where + f.get().rows() + " zero dates" + example(t, f.get()) + " in a NOT NULL column: -infinity (verify reads it as the zero date)");
        }
        if (overridden && (f = found(t, c, ValueScan.Kind.NOT_BOOLEAN)).isPresent()) {
            problems.add(Check.fail("values", ExitCode.BAD_SETTINGS, where + f.get().rows() + " rows hold values other than 0 and 1"
                    + example(t, f.get()) + ", which " + mt.pgType() + " cannot hold: map it to smallint (" + fix + "smallint}})"));
        }
        if (overridden && (f = found(t, c, ValueScan.Kind.OUT_OF_RANGE)).isPresent()) {
            problems.add(Check.fail("values", ExitCode.BAD_SETTINGS, where + f.get().rows() + " values lie outside " + mt.pgType()
                    + example(t, f.get()) + ": map it to a wider type (" + fix + "numeric(20)}})"));
        }
        if (overridden && (f = found(t, c, ValueScan.Kind.JSON_NUL)).isPresent()) {
            problems.add(Check.fail("values", ExitCode.BAD_SETTINGS, where + f.get().rows() + " documents hold \\u0000"
                    + example(t, f.get()) + ", which jsonb refuses: map it to json (" + fix + "json}})"));
        }
        if (!c.nullable() && (f = found(t, c, ValueScan.Kind.PARTIAL_DATE)).isPresent()) {
            problems.add(Check.fail("values", ExitCode.BAD_SETTINGS, where + f.get().rows() + " dates with a zero year, month or day"
                    + example(t, f.get()) + " in a NOT NULL column, which PostgreSQL cannot hold: correct those rows, or keep them as text ("
                    + fix + "varchar(26)}})"));
        }
        if ((f = found(t, c, ValueScan.Kind.BAD_BYTES)).isPresent()) {
            problems.add(Check.fail("values", ExitCode.BAD_SETTINGS, where + f.get().rows() + " values hold bytes not valid in "
                    + c.charset() + example(t, f.get()) + ": keep them as bytes (" + fix + "bytea}}) or correct those rows"));
        }
    }

    /**
     * ON UPDATE CURRENT_TIMESTAMP as a BEFORE UPDATE trigger: an UPDATE that changes the row (compared as text,
     * json has no equality) without
     * changing such a column sets it to the current time, as MySQL does. Made after the data, so the copy
     * does not fire it.
     */
    private void onUpdate(Table t, String qualified, String target, Map<String, String> colNames) {
        List<String> columns = t.columns().stream().filter(Column::onUpdateCurrentTimestamp).map(Column::name)
                .filter(colNames::containsKey).toList();
        if (columns.isEmpty()) {
            return;
        }
        String function = PgNames.quote(schema) + "." + PgNames.quote(names.unique(target + "_on_update"));
        StringBuilder body = new StringBuilder();
        for (String c : columns) {
            String col = PgNames.quote(colNames.get(c));
            body.append("IF NEW::text IS DISTINCT FROM OLD::text AND NEW.").append(col).append(" IS NOT DISTINCT FROM OLD.").append(col)
                    .append(" THEN NEW.").append(col).append(" := CURRENT_TIMESTAMP; END IF; ");
        }
        postData.add(new PostStatement(qualified, "CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
                + body + "RETURN NEW; END $f$", false, "trigger function"));
        postData.add(new PostStatement(qualified, "CREATE TRIGGER " + PgNames.quote(PgNames.fitted(target + "_on_update")) + " BEFORE UPDATE ON "
                + qualified + " FOR EACH ROW EXECUTE FUNCTION " + function + "()", false, "trigger"));
        notes.add("columns " + t.name() + "." + columns + " have ON UPDATE CURRENT_TIMESTAMP: the trigger " + function
                + " sets them when an UPDATE changes the row without setting them");
    }

    private Check collision(String what, String becomes, String a, String b) {
        boolean byCase = !a.equals(b) && names.name(a).equals(names.name(b));
        return Check.fail("identifier collision", ExitCode.BAD_SETTINGS, what + " both become " + becomes + (byCase
                ? " under --identifier-case lower: pass --identifier-case preserve"
                : " (PostgreSQL keeps 63 bytes of a name): rename one in the source"));
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
