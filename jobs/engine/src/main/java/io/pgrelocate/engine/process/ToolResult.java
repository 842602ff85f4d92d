package io.pgrelocate.engine.process;

import java.util.List;

/** How an external tool ended: its exit code and the stderr lines that matter. */
public record ToolResult(String tool, int exitCode, List<String> importantLines) {
    /** The shell's convention for "command not found or not executable". */
    public static final int CANNOT_START = 127;

    public boolean ok() {
        return exitCode == 0;
    }

    /** One line for an error message: the tool, its exit code, and its most telling stderr lines. */
    public String summary() {
        return tool + " exited with " + exitCode + (importantLines.isEmpty() ? "" : ": " + String.join(" | ", importantLines));
    }
}
