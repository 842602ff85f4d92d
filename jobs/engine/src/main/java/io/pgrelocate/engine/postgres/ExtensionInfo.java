package io.pgrelocate.engine.postgres;

/** An extension: installed (with its version) or available to CREATE EXTENSION. */
public record ExtensionInfo(String name, String version) {
}
