package io.pgrelocate.engine.cnpg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * A CRD's openAPIV3Schema as a JSON schema (draft 4, which OpenAPI 3.0's schema object extends). The
 * Kubernetes extensions ({@code x-kubernetes-*}) only steer the API server's merging and pruning,
 * so they are removed rather than taught to the validator.
 */
final class CrdSchema {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private final JsonSchema schema;

    private CrdSchema(JsonSchema schema) {
        this.schema = schema;
    }

    static CrdSchema load(String resource) {
        try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
            JsonNode crd = new YAMLMapper().readTree(in);
            JsonNode openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema");
            stripKubernetesExtensions(openApi);
            return new CrdSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with the object, one line each; empty when it is valid. */
    List<String> problems(Object object) {
        JsonNode json = SERIALIZATION.convertValue(object, JsonNode.class);
        return schema.validate(json).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static void stripKubernetesExtensions(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                if (names.next().startsWith("x-kubernetes-")) {
                    names.remove();
                }
            }
        }
        node.forEach(CrdSchema::stripKubernetesExtensions);
    }
}
