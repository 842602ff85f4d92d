package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.mysql.MysqlDb;
import io.pgrelocate.engine.mysql.MysqlIntrospector;
import io.pgrelocate.engine.mysql.MysqlSchema;
import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.mysql.MysqlUri;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The open sessions to every source a mapping lists; a login that fails becomes a failed check. */
final class MergeSources implements AutoCloseable {
    /** One source: either {@code mysql} (with its introspected schema) or {@code pg} is set. */
    record Opened(MergeMapping.Source definition, MysqlDb mysql, MysqlSchema mysqlSchema, Db pg) {
        String display() {
            return definition.name() + "=" + (mysql != null ? mysql.source().display() : pg.spec().display());
        }

        String pgSchema() {
            return definition.schema() == null ? "public" : definition.schema();
        }
    }

    private final Map<String, Opened> opened = new LinkedHashMap<>();

    static MergeSources open(MergeMapping mapping, PasswordSource passwords, List<Check> checks) {
        MergeSources out = new MergeSources();
        for (MergeMapping.Source s : mapping.sources()) {
            String check = "source " + s.name() + " login";
            try {
                out.opened.put(s.name(), open(s, passwords));
                checks.add(Check.pass(check, out.opened.get(s.name()).display()));
            } catch (EngineException e) {
                checks.add(Check.fail(check, e.exitCode(), e.getMessage()));
            } catch (DbConnectException e) {
                checks.add(Check.fail(check, e.exitCode(), e.getMessage()));
            }
        }
        return out;
    }

    private static Opened open(MergeMapping.Source s, PasswordSource passwords) {
        String env = s.passwordEnv();
        if (MysqlUri.isMysql(s.uri())) {
            MysqlSource parsed = MysqlUri.parse(s.uri());
            refusePassword(s, parsed.connection());
            MysqlDb db = MysqlDb.connect(parsed.complete(passwords, s.passwordFile(), env));
            return new Opened(s, db, MysqlIntrospector.read(db), null);
        }
        ConnectionSpec spec = ConnectionSpec.parse(s.uri());
        refusePassword(s, spec);
        return new Opened(s, null, null, Db.connect(passwords.complete(spec, s.passwordFile(), env)));
    }

    private static void refusePassword(MergeMapping.Source s, ConnectionSpec spec) {
        if (spec.password() != null) {
            throw new SettingsException("source " + s.name() + ": the mapping's uri holds a password; name passwordEnv or passwordFile instead");
        }
    }

    Opened get(String name) {
        return opened.get(name);
    }

    boolean complete(MergeMapping mapping) {
        return opened.size() == mapping.sources().size();
    }

    List<String> displays() {
        return opened.values().stream().map(Opened::display).toList();
    }

    @Override
    public void close() {
        for (Opened o : opened.values()) {
            if (o.mysql() != null) {
                o.mysql().close();
            } else {
                o.pg().close();
            }
        }
    }
}
