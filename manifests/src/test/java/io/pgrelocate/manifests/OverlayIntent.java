package io.pgrelocate.manifests;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an overlay's kustomization.yaml says it does: its namespace, its image renames and the
 * settings it merges. The tests hold the render to these, so a new overlay needs no test change.
 */
record OverlayIntent(String namespace, Map<String, String> images, Map<String, String> settings) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static OverlayIntent read(Path overlay) {
        Map<String, Object> kustomization = yaml(overlay.resolve("kustomization.yaml"));
        return new OverlayIntent((String) kustomization.get("namespace"), images(kustomization), settings(overlay, kustomization));
    }

    /** Image name → the reference it is rendered as (newName:newTag). */
    private static Map<String, String> images(Map<String, Object> kustomization) {
        Map<String, String> images = new LinkedHashMap<>();
        for (Map<String, Object> image : maps(kustomization.get("images"))) {
            String name = (String) image.get("name");
            Object newName = image.getOrDefault("newName", name);
            Object newTag = image.get("newTag");
            images.put(name, newTag == null ? String.valueOf(newName) : newName + ":" + newTag);
        }
        return images;
    }

    /** The values the overlay's configMapGenerator gives pgrelocate-settings, from literals and env files. */
    private static Map<String, String> settings(Path overlay, Map<String, Object> kustomization) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map<String, Object> generator : maps(kustomization.get("configMapGenerator"))) {
            if (!Render.SETTINGS.equals(generator.get("name"))) {
                continue;
            }
            strings(generator.get("literals")).forEach(line -> put(settings, line));
            for (String envFile : strings(generator.get("envs"))) {
                lines(overlay.resolve(envFile)).stream()
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .forEach(line -> put(settings, line));
            }
        }
        return settings;
    }

    private static void put(Map<String, String> settings, String keyValue) {
        int eq = keyValue.indexOf('=');
        settings.put(keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) {
        return SERIALIZATION.unmarshal(String.join("\n", lines(file)), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return list == null ? List.of() : (List<Map<String, Object>>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return list == null ? List.of() : (List<String>) list;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
