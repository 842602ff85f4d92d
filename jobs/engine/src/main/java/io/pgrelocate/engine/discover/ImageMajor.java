package io.pgrelocate.engine.discover;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL major an image tag starts with, as Bitnami and the official images write it
 * ({@code bitnami/postgresql:15.4.0-debian-12}, {@code postgres:16-alpine}). Majors below 10 had two
 * parts and no supported CloudNativePG image, so a tag such as {@code 9.6} does not count.
 */
final class ImageMajor {
    private static final Pattern LEADING_MAJOR = Pattern.compile("v?(\\d{2,})(?:[._-].*)?");

    private ImageMajor() {
    }

    static Optional<Integer> of(String image) {
        return tag(image).map(LEADING_MAJOR::matcher).filter(Matcher::matches).map(m -> Integer.valueOf(m.group(1)));
    }

    /** Why {@link #of} found nothing, for the source's notes. */
    static String unknown(String image) {
        return "PostgreSQL major unknown: the tag of image " + image + " does not start with it; "
                + "check with SHOW server_version before generating the target";
    }

    /** The tag, without a digest; empty for an image named by digest alone or without a tag. */
    private static Optional<String> tag(String image) {
        if (image == null) {
            return Optional.empty();
        }
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        String last = name.substring(name.lastIndexOf('/') + 1); // a registry port is before the last '/'
        int colon = last.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(last.substring(colon + 1));
    }
}
