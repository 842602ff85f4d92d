package io.pgrelocate.engine.process;

/** An external tool failed; the message carries its summarised stderr. */
public class ToolException extends RuntimeException {
    private final ToolResult result;

    public ToolException(ToolResult result) {
        super(result.summary());
        this.result = result;
    }

    public ToolResult result() {
        return result;
    }
}
