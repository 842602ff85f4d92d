package io.pgrelocate.controller;

import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.cnpg.ClusterShape;
import io.pgrelocate.engine.cnpg.CnpgManifests;
import io.pgrelocate.engine.cnpg.ImportSource;
import io.pgrelocate.engine.cnpg.ManagedRole;
import io.pgrelocate.engine.cnpg.ManifestApplier;
import io.pgrelocate.engine.cnpg.RoleSecrets;
import io.pgrelocate.engine.cnpg.ManifestYaml;
import io.pgrelocate.engine.cnpg.ShapeFromSource;
import io.pgrelocate.engine.copy.logical.LogicalNames;
import io.pgrelocate.engine.discover.Discovery;
import io.pgrelocate.engine.discover.SourceDescription;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

@Command(name = "cnpg", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"pgrelocate generate cnpg --name NAME --postgres-major N --storage-size SIZE",
                "       [--variant initdb|import|promoted|logical] [OPTIONS]"},
        description = {"Generates a CloudNativePG Cluster and its read-write and read-only PgBouncer Poolers.",
                "",
                "Variants: initdb (an empty database the migration Job copies into), import (CNPG copies the source "
                        + "itself with pg_dump/pg_restore while it creates the cluster), promoted (after cutover: at "
                        + "least 2 instances, backups and WAL archiving to an object store), logical (an empty cluster that reaches "
                        + "the source as an externalCluster, and the Subscription the logical strategy streams through, "
                        + "for GitOps; it takes the --source-* flags of import).",
                "",
                "Prints multi-document YAML, or writes one file per object with --output-dir, or sends them to the "
                        + "cluster with --apply, a server-side apply as field manager pgrelocate (--dry-run=server: the API server and CNPG's webhook check them, nothing is stored). "
                        + "Source parameters CNPG sets itself are left out and named on stderr.",
                "",
                "Example: pgrelocate generate cnpg -n shop --name shop-db --postgres-major 16 --storage-size 20Gi "
                        + "--variant import --source-host shop-db-zalando --source-secret postgres.shop-db-zalando.credentials.postgresql.acid.zalan.do",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:manifests printed, written or applied",
                " 2:bad or missing flags (nothing generated)",
                "13:the Kubernetes API refused the objects (--apply), or another field manager owns fields with other values"})
class GenerateCnpgCommand extends KubeCommand {
    @Option(names = "--variant", defaultValue = "initdb", paramLabel = "VARIANT",
            description = "initdb, import, promoted or logical (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--migration", paramLabel = "NAME",
            description = "logical: the migration's name, which names its publication, slot and subscription (default: --name).")
    String migration;

    @Mixin
    ShapeOptions shape;

    @Mixin
    ImportOptions importing;

    @Mixin
    BackupOptions backup;

    @Option(names = "--from-source", paramLabel = "SOURCE",
            description = "Size the cluster like this discovered source (pgrelocate discover): major, volume, resources, "
                    + "replicas, parameters, scheduling, pull secrets, database and owner; import reads its superuser "
                    + "Secret. --name and --postgres-major still apply.")
    String fromSource;

    @Option(names = "--app-role", paramLabel = "ROLE=SECRET[/KEY]",
            description = "An application role the Cluster manages (spec.managed.roles) with the password the application has: "
                    + "a basic-auth Secret <name>-role-<role>, labelled pgrelocate and owned by nothing, is its passwordSecret. "
                    + "Its manifest holds no password, only the annotation " + ManagedRole.PASSWORD_FROM + " naming SECRET/KEY "
                    + "(KEY default password, as Zalando's and Bitnami's Secrets); --apply copies the value from there. Repeatable.")
    List<String> appRoles = new ArrayList<>();

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Write <kind>-<name>.yaml files here instead of printing.")
    Path outputDir;

    @Option(names = "--apply", description = "Send the objects to the cluster with server-side apply (field manager pgrelocate): "
            + "created, or updated in the fields pgrelocate sets; fields other tools own are left alone.")
    boolean apply;

    @Option(names = "--force-conflicts", description = "With --apply: take over fields another field manager (a GitOps tool, kubectl) "
            + "set to other values, instead of stopping at the conflict.")
    boolean forceConflicts;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "server", paramLabel = "server",
            description = "With --apply: let the API server check the objects without storing them.")
    String dryRun;

    @Override
    int run(Cluster cluster) {
        if (forceConflicts && !apply) {
            throw new SettingsException("--force-conflicts goes with --apply");
        }
        if (dryRun != null && (!dryRun.equals("server") || !apply)) {
            throw new SettingsException("--dry-run=server goes with --apply; without --apply nothing is sent anyway");
        }
        CnpgManifests manifests = (fromSource == null ? manifests(shape.shape(cluster.namespace()), importing::source)
                : fromDiscovery(cluster)).withManagedRoles(appRoles.stream().map(ManagedRole::parse).toList());
        manifests.dropped().forEach((name, value) ->
                err().println("dropped parameter " + name + "=" + value + ": CloudNativePG sets it itself and refuses it in a Cluster"));
        manifests.notes().forEach(note -> err().println("note: " + note));
        err().flush();
        if (apply) {
            new ManifestApplier(cluster.client()).apply(RoleSecrets.withPasswords(cluster.client(), manifests.objects()), dryRun != null, forceConflicts, line -> {
                out().println(line);
                out().flush();
            });
        } else if (outputDir != null) {
            write(manifests);
        } else {
            out().print(ManifestYaml.documents(manifests.objects()));
        }
        out().flush();
        return 0;
    }

    private CnpgManifests fromDiscovery(Cluster cluster) {
        SourceDescription source = Discovery.in(cluster.client(), cluster.namespace()).single(Optional.of(fromSource));
        ClusterShape clusterShape = ShapeFromSource.of(source, shape.name != null ? shape.name : source.name() + "-cnpg",
                shape.major, cluster.namespace());
        return manifests(clusterShape, database -> importing.host != null
                ? importing.over(ShapeFromSource.importing(source, clusterShape, importing.jobs), database)
                : ShapeFromSource.importing(source, clusterShape, importing.jobs));
    }

    private CnpgManifests manifests(ClusterShape clusterShape, Function<String, ImportSource> importSource) {
        return switch (variant) {
            case "initdb" -> CnpgManifests.initdb(clusterShape);
            case "import" -> CnpgManifests.importing(clusterShape, importSource.apply(clusterShape.database()));
            case "promoted" -> CnpgManifests.promoted(clusterShape, backup.target());
            case "logical" -> CnpgManifests.logical(clusterShape, importSource.apply(clusterShape.database()),
                    LogicalNames.of(migration != null ? migration : clusterShape.name()).subscription());
            default -> throw new SettingsException("--variant " + variant + ": expected initdb, import, promoted or logical");
        };
    }

    private void write(CnpgManifests manifests) {
        try {
            ManifestYaml.write(manifests.objects(), outputDir).forEach(file -> out().println("wrote " + file));
        } catch (IOException e) {
            throw new SettingsException("cannot write to --output-dir " + outputDir + ": " + e.getMessage());
        }
    }
}
