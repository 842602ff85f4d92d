package io.pgrelocate.engine.mysql;

import java.util.List;
import java.util.Optional;

/** What introspection found in one MySQL/MariaDB database. */
public record MysqlSchema(String database, String version, MysqlSource.Flavour flavour, List<Table> tables, List<View> views) {

    public Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * @param autoIncrement the next AUTO_INCREMENT value the source would hand out, or null; -1 when past 2^63-1
     * @param rowEstimate   information_schema's estimate (exact counts come from the copy)
     */
    public record Table(String name, String engine, String collation, String comment, Long autoIncrement, long rowEstimate,
                        List<Column> columns, List<Index> indexes, List<ForeignKey> foreignKeys, List<Check> checks) {
        public Optional<Column> column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        public Optional<Index> primaryKey() {
            return indexes.stream().filter(Index::primary).findFirst();
        }
    }

    /**
     * @param dataType   information_schema DATA_TYPE (lower case: int, varchar, enum…)
     * @param columnType the full COLUMN_TYPE (int(10) unsigned, enum('a','b'), tinyint(1)…)
     * @param defaultValue COLUMN_DEFAULT as the server shows it (MariaDB quotes literals, MySQL does not)
     * @param extra      EXTRA (auto_increment, on update current_timestamp(), STORED GENERATED…)
     */
    public record Column(String name, int position, String dataType, String columnType, boolean nullable, String defaultValue,
                         String extra, Long charLength, Integer precision, Integer scale, Integer datetimePrecision,
                         String charset, String collation, String comment, String generationExpression) {
        public boolean unsigned() {
            return columnType.contains("unsigned");
        }

        public boolean autoIncrement() {
            return extra != null && extra.toLowerCase().contains("auto_increment");
        }

        public boolean onUpdateCurrentTimestamp() {
            return extra != null && extra.toLowerCase().contains("on update current_timestamp");
        }

        public boolean generated() {
            return generationExpression != null && !generationExpression.isBlank();
        }
    }

    /** kind: BTREE, HASH, FULLTEXT, SPATIAL; prefix lengths are kept to report them. */
    public record Index(String name, boolean primary, boolean unique, String kind, List<String> columns, List<Integer> prefixLengths) {
        public boolean hasPrefix() {
            return prefixLengths.stream().anyMatch(p -> p != null);
        }
    }

    public record ForeignKey(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
                             String onDelete, String onUpdate) {
    }

    public record Check(String name, String expression) {
    }

    public record View(String name, String definition) {
    }
}
