package io.pgrelocate.engine.mysql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One canonical text per value, whichever engine it was read from, rendered by the target column's
 * kind: integers and numerics without trailing zeros, floats by their shortest round-trip text,
 * timestamps as ISO local time (timestamptz in UTC), time and interval as microseconds, booleans
 * as t/f, bytes as lower-case hex, JSON with sorted keys, sets/arrays as their elements.
 * Text is compared without NUL characters, which PostgreSQL cannot store (the copy counts them).
 */
public final class Canonical {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter OFFSET = new DateTimeFormatterBuilder().append(LOCAL)
            .optionalStart().appendOffset("+HH:MM", "+00").optionalEnd()
            .optionalStart().appendOffset("+HH", "+00").optionalEnd().toFormatter();

    private Canonical() {
    }

    /** A value as {@link MysqlRows} read it (String or byte[]). */
    public static String mysql(ColumnPlan c, Object raw) {
        if (raw == null) {
            return null;
        }
        return switch (c.kind()) {
            case BYTES -> HEX.formatHex((byte[]) raw);
            case BIT -> MysqlValues.bits((byte[]) raw, CopyEncoder.bitLength(c.type().pgType()));
            case BOOLEAN -> raw.equals("0") ? "f" : raw.equals("1") ? "t" : "?" + raw;
            case DATE, TIMESTAMP, TIMESTAMPTZ -> MysqlValues.isZeroDate((String) raw)
                    ? (c.nullable() ? null : MysqlValues.NOT_NULL_ZERO) : temporal(c.kind(), (String) raw);
            case ARRAY -> ((String) raw).isEmpty() ? "" : String.join("\u0003", ((String) raw).split(",", -1));
            case TEXT -> c.type().isEnum() && ((String) raw).isEmpty() && !c.type().enumLabels().contains("") ? null
                    : ((String) raw).replace("\0", "");
            default -> common(c.kind(), (String) raw);
        };
    }

    /** A value as PostgreSQL's text output gives it (TimeZone UTC, DateStyle ISO, IntervalStyle postgres). */
    public static String postgres(ColumnPlan c, String text) {
        if (text == null) {
            return null;
        }
        return switch (c.kind()) {
            case BYTES -> text.startsWith("\\x") ? text.substring(2) : text;
            case BOOLEAN -> text.equals("t") || text.equals("true") || text.equals("1") ? "t"
                    : text.equals("f") || text.equals("false") || text.equals("0") ? "f" : "?" + text;
            case DATE, TIMESTAMP, TIMESTAMPTZ -> temporal(c.kind(), text);
            case ARRAY -> String.join("\u0003", arrayElements(text));
            default -> common(c.kind(), text);
        };
    }

    private static String common(ValueKind kind, String s) {
        try {
            return switch (kind) {
                case INTEGER, NUMERIC -> new BigDecimal(s.trim()).stripTrailingZeros().toPlainString();
                case FLOAT4 -> Float.toString(Float.parseFloat(s));
                case FLOAT8 -> Double.toString(Double.parseDouble(s));
                case TIME, INTERVAL -> Long.toString(micros(s));
                case JSON -> JSON.writeValueAsString(normalise(JSON.readTree(s)));
                default -> s;
            };
        } catch (Exception unreadable) {
            return "?" + s;
        }
    }

    private static String temporal(ValueKind kind, String s) {
        if (s.equals(MysqlValues.NOT_NULL_ZERO)) {
            return s;
        }
        try {
            if (kind == ValueKind.DATE) {
                return s;
            }
            var parsed = OFFSET.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
            LocalDateTime utc = parsed instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                    : (LocalDateTime) parsed;
            return utc + (kind == ValueKind.TIMESTAMPTZ ? "Z" : "");
        } catch (RuntimeException unreadable) {
            return "?" + s;
        }
    }

    /** {@code [-]H:MM:SS[.f]}, optionally after {@code N day(s)} (PostgreSQL interval), as microseconds. */
    static long micros(String s) {
        String t = s.trim();
        long days = 0;
        int dayAt = t.indexOf(" day");
        if (dayAt >= 0) {
            days = Long.parseLong(t.substring(0, dayAt).trim());
            int space = t.indexOf(' ', dayAt + 1);
            t = space < 0 ? "00:00:00" : t.substring(space + 1).trim();
        }
        boolean negative = t.startsWith("-");
        String[] hms = (negative ? t.substring(1) : t).split(":");
        double seconds = Double.parseDouble(hms[2]);
        long secs = (long) Math.floor(seconds);
        long fraction = hms[2].contains(".") ? Long.parseLong((hms[2].substring(hms[2].indexOf('.') + 1) + "000000").substring(0, 6)) : 0;
        long micros = ((Long.parseLong(hms[0]) * 60 + Long.parseLong(hms[1])) * 60 + secs) * 1_000_000 + fraction;
        return days * 86_400_000_000L + (negative ? -micros : micros);
    }

    private static JsonNode normalise(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                sorted.put(f.getKey(), normalise(f.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(normalise(e)));
            return out;
        }
        if (node.isNumber()) {
            return JsonNodeFactory.instance.textNode("n:" + node.decimalValue().stripTrailingZeros().toPlainString());
        }
        return node;
    }

    /** The elements of a one-dimensional PostgreSQL array literal. */
    static List<String> arrayElements(String literal) {
        List<String> out = new ArrayList<>();
        String body = literal.substring(literal.indexOf('{') + 1, literal.lastIndexOf('}'));
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch == '\\' && i + 1 < body.length()) {
                cur.append(body.charAt(++i));
            } else if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
                any = true;
            }
        }
        if (any || !out.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
