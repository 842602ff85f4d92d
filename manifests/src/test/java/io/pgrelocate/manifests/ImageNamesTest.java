package io.pgrelocate.manifests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each CronJob template runs the image its job module builds: Jib tags
 * {@code ${pgrelocate.image.prefix}/${pgrelocate.job}} with the version and {@code latest}
 * (README "Images"), and the templates use {@code latest}, which the overlays retag.
 */
class ImageNamesTest {

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.PgrelocateJobs#all")
    void templateRunsTheImageItsModuleBuilds(String job) throws IOException {
        String prefix = property(ProjectLayout.ROOT.resolve("pom.xml"), "pgrelocate.image.prefix");
        String built = prefix + "/" + property(ProjectLayout.ROOT.resolve("jobs/" + job + "/pom.xml"), "pgrelocate.job");
        String image = Render.container(Render.of(ProjectLayout.MANIFESTS).cronJob(PgrelocateJobs.objectName(job))).getImage();
        assertThat(image).isEqualTo(built + ":latest");
    }

    private static String property(Path pom, String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom));
        assertThat(m.find()).as(name + " in " + pom).isTrue();
        return m.group(1).trim();
    }
}
