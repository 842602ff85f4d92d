package io.pgrelocate.engine.cnpg;

/** The operand image: CNPG requires its tag to start with the PostgreSQL major it runs. */
public final class ImageName {
    public static final String DEFAULT_REGISTRY = "ghcr.io/cloudnative-pg";

    private ImageName() {
    }

    /** {@code <registry>/postgresql:<major>}; the registry may be a private mirror of CNPG's images. */
    public static String forMajor(int major, String registry) {
        String base = registry == null || registry.isBlank() ? DEFAULT_REGISTRY : registry.replaceAll("/+$", "");
        return base + "/postgresql:" + major;
    }
}
