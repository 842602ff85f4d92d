package io.pgrelocate.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.discover.Discovery;
import io.pgrelocate.engine.discover.SourceDescription;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

@Command(name = "discover", mixinStandardHelpOptions = true,
        description = {"Finds the PostgreSQL databases of a namespace and the applications that use them.",
                "",
                "Looks for Zalando clusters (postgresql resources of acid.zalan.do) and Bitnami releases (StatefulSets "
                        + "labelled app.kubernetes.io/name=postgresql, sub-chart aliases included), and for each: image, "
                        + "PostgreSQL major, storage, resources, parameters, users, databases, Services, and the "
                        + "credentials Secret with its key names (never its values). An application uses a source when "
                        + "its env, envFrom or ConfigMaps name one of the source's Services as host, or when it refers to "
                        + "the source's Secret. Changes nothing.",
                "",
                "Example: pgrelocate discover -n shop;  pgrelocate discover -n shop --source shop-db -o yaml", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:found at least one source", " 2:--source names no source found, or a bad -o",
                "13:the Kubernetes API failed or is unreachable",
                "18:nothing to migrate: no source in the namespace, or the applications use an external database"})
class DiscoverCommand extends KubeCommand {
    @Option(names = "--source", paramLabel = "NAME", description = "Show only this source (a postgresql resource or Bitnami fullname).")
    String source;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), yaml or json: the whole description of each source.")
    String output;

    @Override
    int run(Cluster cluster) {
        if (!List.of("table", "yaml", "json").contains(output)) {
            throw new SettingsException("-o " + output + ": table, yaml or json");
        }
        Discovery found = Discovery.in(cluster.client(), cluster.namespace());
        if (source != null) {
            SourceDescription one = found.single(Optional.of(source));
            found = new Discovery(found.namespace(), List.of(one), found.externalDatabases());
        }
        switch (output) {
            case "yaml" -> out().print(write(new ObjectMapper(new YAMLFactory()), found));
            case "json" -> out().println(write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT), found));
            default -> {
                SourceTable.lines(found.sources()).forEach(out()::println);
                found.sources().forEach(s -> s.notes().forEach(n -> out().println("note: " + s.name() + ": " + n)));
                found.externalDatabases().forEach(e -> out().println("note: external database: " + e));
            }
        }
        out().flush();
        return ExitCode.OK.code();
    }

    private static String write(ObjectMapper mapper, Discovery found) {
        try {
            return mapper.writeValueAsString(found);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
