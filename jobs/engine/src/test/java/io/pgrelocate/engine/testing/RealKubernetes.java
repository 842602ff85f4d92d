package io.pgrelocate.engine.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tests against a real kube-apiserver and kube-controller-manager ({@code shared/k8s}): started once per
 * test JVM, stopped when the run ends; a test asks for a {@link KubeNamespace} parameter and gets a fresh
 * namespace. Where {@code shared/k8s} is absent the tests are skipped with the reason (there the
 * Testcontainers K3s tests are the real-cluster tests).
 */
public final class RealKubernetes implements ExecutionCondition, BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RealKubernetes.class);
    private static final Optional<Path> SCRIPTS = ControlPlane.find();
    private static final String NONE = "no shared/k8s/control-plane.sh beside the project or at /work/shared/k8s "
            + "(or -Dpgrelocate.k8s=none): no real API server to test against";
    private static volatile boolean told;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (SCRIPTS.isPresent()) {
            return ConditionEvaluationResult.enabled("shared/k8s at " + SCRIPTS.get());
        }
        if (!told) {
            told = true;
            System.out.println("RealKubernetes: skipped: " + NONE);
        }
        return ConditionEvaluationResult.disabled(NONE);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        plane(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KubeNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String test = context.getRequiredTestMethod().getName().replaceAll("([A-Z])", "-$1").toLowerCase();
        String name = (test.length() > 40 ? test.substring(0, 40) : test).replaceAll("-+$", "")
                + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        // the method's store is closed when the test ends: the namespace and its clients go with it
        return context.getStore(STORE).getOrComputeIfAbsent(KubeNamespace.class,
                k -> new KubeNamespace(plane(context), name), KubeNamespace.class);
    }

    private static ControlPlane plane(ExtensionContext context) {
        return context.getRoot().getStore(STORE).getOrComputeIfAbsent(ControlPlane.class,
                k -> ControlPlane.start(SCRIPTS.orElseThrow()), ControlPlane.class);
    }
}
