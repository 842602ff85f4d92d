package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.mysql.MysqlSchema.Check;
import io.pgrelocate.engine.mysql.MysqlSchema.Column;
import io.pgrelocate.engine.mysql.MysqlSchema.ForeignKey;
import io.pgrelocate.engine.mysql.MysqlSchema.Index;
import io.pgrelocate.engine.mysql.MysqlSchema.Table;
import io.pgrelocate.engine.mysql.MysqlSchema.View;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one database's tables, columns, keys, checks and views from information_schema. */
public final class MysqlIntrospector {
    // MariaDB's JSON is LONGTEXT with CHECK (json_valid(`col`)); MySQL 8 has a real json type.
    private static final Pattern JSON_VALID = Pattern.compile("^json_valid\\(`((?:[^`]|``)+)`\\)$");

    private MysqlIntrospector() {
    }

    public static MysqlSchema read(MysqlDb db) {
        String schema = db.source().connection().database();
        String version = db.version();
        MysqlSource.Flavour flavour = version.contains("MariaDB") ? MysqlSource.Flavour.MARIADB : MysqlSource.Flavour.MYSQL;
        Map<String, List<Column>> columns = columns(db, schema);
        Map<String, List<Index>> indexes = indexes(db, schema);
        Map<String, List<ForeignKey>> fks = foreignKeys(db, schema);
        Map<String, List<Check>> checks = checks(db, schema, flavour);
        List<Table> tables = db.list("SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, TABLE_COMMENT, AUTO_INCREMENT, TABLE_ROWS "
                        + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
                rs -> {
                    String name = rs.getString(1);
                    List<Check> tableChecks = new ArrayList<>();
                    List<Column> cols = markJson(columns.getOrDefault(name, List.of()), checks.getOrDefault(name, List.of()), tableChecks);
                    // unsigned: past 2^63-1 it is kept as -1 (the planner then leaves bigint for numeric(20))
                    java.math.BigDecimal next = rs.getBigDecimal(5);
                    Long auto = next == null ? null : next.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? -1L : next.longValue();
                    return new Table(name, rs.getString(2), rs.getString(3), emptyToNull(rs.getString(4)),
                            auto, rs.getLong(6), cols, indexes.getOrDefault(name, List.of()),
                            fks.getOrDefault(name, List.of()), tableChecks);
                }, schema);
        List<View> views = db.list("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
                rs -> new View(rs.getString(1), rs.getString(2)), schema);
        return new MysqlSchema(schema, version, flavour, tables, views);
    }

    private static List<Column> markJson(List<Column> columns, List<Check> checks, List<Check> remaining) {
        List<String> jsonColumns = new ArrayList<>();
        for (Check c : checks) {
            Matcher m = JSON_VALID.matcher(c.expression().trim());
            if (m.matches()) {
                jsonColumns.add(m.group(1).replace("``", "`"));
            } else {
                remaining.add(c);
            }
        }
        List<Column> out = new ArrayList<>();
        for (Column c : columns) {
            out.add(jsonColumns.contains(c.name()) && c.dataType().endsWith("text")
                    ? new Column(c.name(), c.position(), "json", "json", c.nullable(), c.defaultValue(), c.extra(), c.charLength(),
                    c.precision(), c.scale(), c.datetimePrecision(), c.charset(), c.collation(), c.comment(), c.generationExpression())
                    : c);
        }
        return out;
    }

    private static Map<String, List<Column>> columns(MysqlDb db, String schema) {
        Map<String, List<Column>> out = new LinkedHashMap<>();
        db.list("SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
                        + "CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME, "
                        + "COLLATION_NAME, COLUMN_COMMENT, GENERATION_EXPRESSION "
                        + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
                rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Column(rs.getString(2), rs.getInt(3),
                        rs.getString(4).toLowerCase(), rs.getString(5).toLowerCase(), "YES".equals(rs.getString(6)), rs.getString(7),
                        rs.getString(8), (Long) rs.getObject(9, Long.class), (Integer) rs.getObject(10, Integer.class),
                        (Integer) rs.getObject(11, Integer.class), (Integer) rs.getObject(12, Integer.class), rs.getString(13),
                        rs.getString(14), emptyToNull(rs.getString(15)), emptyToNull(rs.getString(16)))), schema);
        return out;
    }

    private static Map<String, List<Index>> indexes(MysqlDb db, String schema) {
        record Part(String table, String index, boolean unique, String kind, String column, Integer prefix) {
        }
        List<Part> parts = db.list("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE, COLUMN_NAME, SUB_PART "
                        + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                rs -> new Part(rs.getString(1), rs.getString(2), rs.getInt(3) == 0, rs.getString(4), rs.getString(5),
                        (Integer) rs.getObject(6, Integer.class)), schema);
        Map<String, Map<String, List<Part>>> grouped = new LinkedHashMap<>();
        for (Part p : parts) {
            grouped.computeIfAbsent(p.table(), k -> new LinkedHashMap<>()).computeIfAbsent(p.index(), k -> new ArrayList<>()).add(p);
        }
        Map<String, List<Index>> out = new LinkedHashMap<>();
        grouped.forEach((table, byName) -> byName.forEach((name, ps) -> out.computeIfAbsent(table, k -> new ArrayList<>())
                .add(new Index(name, name.equals("PRIMARY"), ps.get(0).unique(), ps.get(0).kind(),
                        ps.stream().map(Part::column).toList(), ps.stream().map(Part::prefix).toList()))));
        return out;
    }

    private static Map<String, List<ForeignKey>> foreignKeys(MysqlDb db, String schema) {
        record Part(String table, String name, String column, String refTable, String refColumn, String onDelete, String onUpdate) {
        }
        List<Part> parts = db.list("SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, "
                        + "r.DELETE_RULE, r.UPDATE_RULE FROM information_schema.KEY_COLUMN_USAGE k "
                        + "JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA "
                        + "AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
                        + "WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL "
                        + "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
                rs -> new Part(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)), schema);
        Map<String, Map<String, List<Part>>> grouped = new LinkedHashMap<>();
        for (Part p : parts) {
            grouped.computeIfAbsent(p.table(), k -> new LinkedHashMap<>()).computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
        Map<String, List<ForeignKey>> out = new LinkedHashMap<>();
        grouped.forEach((table, byName) -> byName.forEach((name, ps) -> out.computeIfAbsent(table, k -> new ArrayList<>())
                .add(new ForeignKey(name, ps.stream().map(Part::column).toList(), ps.get(0).refTable(),
                        ps.stream().map(Part::refColumn).toList(), ps.get(0).onDelete(), ps.get(0).onUpdate()))));
        return out;
    }

    private static Map<String, List<Check>> checks(MysqlDb db, String schema, MysqlSource.Flavour flavour) {
        // MariaDB names checks per table (and has TABLE_NAME); MySQL 8 per schema, found through TABLE_CONSTRAINTS.
        String sql = flavour == MysqlSource.Flavour.MARIADB
                ? "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
                : "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS tc "
                + "JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
                + "AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME WHERE tc.CONSTRAINT_TYPE = 'CHECK' AND tc.TABLE_SCHEMA = ?";
        Map<String, List<Check>> out = new LinkedHashMap<>();
        db.list(sql + " ORDER BY 1, 2", rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                .add(new Check(rs.getString(2), rs.getString(3))), schema);
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
