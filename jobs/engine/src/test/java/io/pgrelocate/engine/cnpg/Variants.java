package io.pgrelocate.engine.cnpg;

import java.util.function.Supplier;

/** Every variant the generator makes, from the fixed input, by the name of its golden file. */
enum Variants {
    INITDB(() -> CnpgManifests.initdb(Shapes.shop(16))),
    IMPORT_MICROSERVICE(() -> CnpgManifests.importing(Shapes.shop(16), Shapes.microservice())),
    IMPORT_MONOLITH(() -> CnpgManifests.importing(Shapes.shop(16), Shapes.monolith())),
    PROMOTED(() -> CnpgManifests.promoted(Shapes.shop(16), Shapes.backup())),
    LOGICAL(() -> CnpgManifests.logical(Shapes.shop(16), Shapes.microservice(), "pgrelocate_shop"));

    private final Supplier<CnpgManifests> make;

    Variants(Supplier<CnpgManifests> make) {
        this.make = make;
    }

    CnpgManifests manifests() {
        return make.get();
    }

    String goldenFile() {
        return name().toLowerCase().replace('_', '-') + ".yaml";
    }
}
