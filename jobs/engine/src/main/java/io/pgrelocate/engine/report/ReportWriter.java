package io.pgrelocate.engine.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgrelocate.engine.settings.SettingsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes reports as JSON (durations as ISO-8601, times as UTC instants). */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /** A {@link MigrationReport}, or a job's own report record that holds one. */
    public static String json(Object report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses (one line, exit 2) a report path that could not be written at the end, so that a long
     * copy does not end without its proof. Creates the missing parent directories.
     */
    public static void checkWritable(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new SettingsException("cannot create the directory of the report " + file + ": " + e.getMessage());
        }
        boolean writable = Files.exists(file) ? Files.isRegularFile(file) && Files.isWritable(file) : Files.isWritable(parent);
        if (!writable) {
            throw new SettingsException("the report " + file + " cannot be written (" + (Files.isDirectory(file) ? "it is a directory"
                    : "no write permission") + "): choose another path; nothing was done");
        }
    }

    public static void write(MigrationReport report, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, json(report) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file, e);
        }
    }

}
