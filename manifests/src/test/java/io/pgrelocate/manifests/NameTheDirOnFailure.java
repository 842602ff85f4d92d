package io.pgrelocate.manifests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Starts a failed parameterized test's message with its display name ("[3] dir =
 * kustomize/overlays/dev"): Maven's console summary shows only "(Path)[3]", not which render failed.
 */
final class NameTheDirOnFailure implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (!(failure instanceof AssertionError) || !context.getDisplayName().startsWith("[")) {
            throw failure;
        }
        AssertionError named = new AssertionError(context.getDisplayName() + ": " + failure.getMessage(), failure.getCause());
        named.setStackTrace(failure.getStackTrace());
        throw named;
    }
}
