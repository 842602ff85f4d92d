package io.pgrelocate.engine.postgres;

/** A role that owns or is granted something in the database, with the attributes worth copying. */
public record RoleInfo(String name, boolean canLogin, boolean inherit, boolean createDb, int connectionLimit) {
}
