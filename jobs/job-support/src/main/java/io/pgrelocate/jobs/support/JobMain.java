package io.pgrelocate.jobs.support;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.files.RunDirectory;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;

/**
 * Starts a Job's Quarkus application so that settings Quarkus itself rejects at start-up (say
 * {@code PGRELOCATE_JOBS=abc}) end with exit code 2 like every other settings error, not 1.
 * The error names the property: {@code pgrelocate.jobs} is {@code PGRELOCATE_JOBS}.
 */
public final class JobMain {
    private JobMain() {
    }

    public static void run(Class<? extends QuarkusApplication> application, String... args) {
        RunDirectory.allowWorldWritableParent();  // the pod's emptyDir is 2777, and only the job's user runs there
        Quarkus.run(application, (code, failure) -> {
            int exit = code;
            Throwable settings = settingsFailure(failure);
            if (settings != null) {
                System.out.println("error: invalid settings: " + oneLine(settings.getMessage()) + "; nothing was done");
                System.out.flush();
                exit = ExitCode.BAD_SETTINGS.code();
            }
            ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(exit, failure);
        }, args);
    }

    /** The configuration error behind a start-up failure, or null when it was something else. */
    static Throwable settingsFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException || t instanceof ConfigValidationException) {
                return t;
            }
        }
        return null;
    }

    /** SmallRye's "Configuration validation failed:" list as one line, without exception class names. */
    static String oneLine(String message) {
        if (message == null) {
            return "unknown configuration error";
        }
        return message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.equals("Configuration validation failed:"))
                .map(l -> l.replaceFirst("^[\\w.$]+(Exception|Error): ", ""))
                .collect(java.util.stream.Collectors.joining("; "));
    }
}
