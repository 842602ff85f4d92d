package io.pgrelocate.engine.copy;

import java.util.List;

/**
 * One index (or the index of a primary key, unique or exclusion constraint) of one table, built by
 * the stream strategy as soon as the table's data is in, instead of by pg_restore's post-data.
 *
 * @param table      qualified name of its table
 * @param name       index (or constraint) name, for messages
 * @param tocOid     the object's OID in the dump's table of contents (pg_class or pg_constraint)
 * @param statements what to run on the target, in order
 * @param bytes      the index's size on the source, to build the biggest first
 */
record IndexBuild(String table, String name, long tocOid, List<String> statements, long bytes) {
}
