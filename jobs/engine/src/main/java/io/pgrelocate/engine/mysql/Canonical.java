package io.pgrelocate.engine.mysql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One canonical text per value, whichever engine it was read from, rendered by the target column's
 * kind: integers and numerics without trailing zeros, floats by their bits,
 * timestamps as ISO local time (timestamptz in UTC), time and interval as microseconds, booleans
 * as t/f, bytes as lower-case hex, JSON with sorted keys, sets/arrays as their elements.
 * Text is compared without NUL characters, which PostgreSQL cannot store (the copy counts them).
 */
public final class Canonical {
    private static final JsonFactory JSON = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS");
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
                case INTEGER, NUMERIC -> plainDecimal(s) ? stripZeros(s) : new BigDecimal(s.trim()).stripTrailingZeros().toPlainString();
                // the value's bits: the engines print a float in different shapes (1e20, 1e+20), and this JDK's toString is slow
                case FLOAT4 -> Integer.toHexString(Float.floatToIntBits(Float.parseFloat(s)));
                case FLOAT8 -> Long.toHexString(Double.doubleToLongBits(Double.parseDouble(s)));
                case TIME, INTERVAL -> Long.toString(micros(s));
                case JSON -> json(s);
                default -> s;
            };
        } catch (Exception unreadable) {
            return "?" + s;
        }
    }

    private static String temporal(ValueKind kind, String s) {
        if (s.equals(MysqlValues.NOT_NULL_ZERO) || kind == ValueKind.DATE) {
            return s;
        }
        String fast = utcIso(s, kind == ValueKind.TIMESTAMPTZ);
        if (fast != null) {
            return fast;
        }
        try {
            var parsed = OFFSET.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
            LocalDateTime utc = parsed instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                    : (LocalDateTime) parsed;
            String iso = utcIso(WRITE.format(utc), kind == ValueKind.TIMESTAMPTZ);
            return iso == null ? "?" + s : iso;
        } catch (RuntimeException unreadable) {
            return "?" + s;
        }
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss[.f][+00]} (both servers' text in a UTC session) as {@code yyyy-MM-ddTHH:mm:ss[.f]}
     * with the fraction's trailing zeros dropped and Z for timestamptz, without a parser; null for another shape.
     */
    private static String utcIso(String s, boolean zoned) {
        int end = s.length();
        if (end < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' ' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        if (s.endsWith("+00")) {
            end -= 3;
        }
        if (end > 19 && s.charAt(19) != '.') {
            return null;
        }
        int stop = end;
        if (end > 19) {
            while (stop > 20 && s.charAt(stop - 1) == '0') {
                stop--;
            }
            if (stop == 20) {
                stop = 19;
            }
        }
        for (int i = 20; i < stop; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return null;
            }
        }
        return s.substring(0, 10) + 'T' + s.substring(11, stop) + (zoned ? "Z" : "");
    }

    /** {@code [-]digits[.digits]} without leading zeros, as both servers print integers and decimals. */
    private static boolean plainDecimal(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        int digits = 0;
        boolean dot = false;
        for (int k = i; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (ch == '.' && !dot && digits > 0) {
                dot = true;
            } else if (ch < '0' || ch > '9' || (k == i + 1 && s.charAt(i) == '0' && ch != '.')) {
                return false;
            } else {
                digits++;
            }
        }
        return digits > 0 && !s.endsWith(".");
    }

    private static String stripZeros(String s) {
        int stop = s.length();
        if (s.indexOf('.') >= 0) {
            while (s.charAt(stop - 1) == '0') {
                stop--;
            }
            if (s.charAt(stop - 1) == '.') {
                stop--;
            }
        }
        String out = s.substring(0, stop);
        return out.equals("-0") ? "0" : out;
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

    /** A JSON document with object keys sorted and numbers by their exact decimal value (1.50 = 1.5), read as a stream. */
    private static String json(String s) throws java.io.IOException {
        try (JsonParser p = JSON.createParser(s)) {
            p.nextToken();
            String out = value(p, new StringBuilder(s.length())).toString();
            if (p.nextToken() != null) {
                throw new java.io.IOException("trailing content");
            }
            return out;
        }
    }

    private static StringBuilder value(JsonParser p, StringBuilder out) throws java.io.IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                java.util.TreeMap<String, String> fields = new java.util.TreeMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.getCurrentName();
                    p.nextToken();
                    fields.put(name, value(p, new StringBuilder()).toString());
                }
                out.append('{');
                boolean first = true;
                for (var f : fields.entrySet()) {
                    out.append(first ? "" : ",").append('"').append(QUOTE.quoteAsString(f.getKey())).append("\":").append(f.getValue());
                    first = false;
                }
                return out.append('}');
            }
            case START_ARRAY -> {
                out.append('[');
                boolean first = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    value(p, out.append(first ? "" : ","));
                    first = false;
                }
                return out.append(']');
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String n = p.getText();
                return out.append(plainDecimal(n) ? stripZeros(n) : new BigDecimal(n).stripTrailingZeros().toPlainString());
            }
            case VALUE_STRING -> {
                return out.append('"').append(QUOTE.quoteAsString(p.getText())).append('"');
            }
            default -> {
                return out.append(p.getText());
            }
        }
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
