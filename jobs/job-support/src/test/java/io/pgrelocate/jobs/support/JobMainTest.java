package io.pgrelocate.jobs.support;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobMainTest {
    @Test
    void configurationErrorsBecomeOneLine() {
        String msg = "Configuration validation failed:\n\tjava.lang.IllegalArgumentException: SRCFG00039: The config property "
                + "pgrelocate.jobs with the config value \"abc\" threw an Exception\n\tjava.util.NoSuchElementException: SRCFG00014: x";
        assertThat(JobMain.oneLine(msg)).isEqualTo("SRCFG00039: The config property pgrelocate.jobs with the config value "
                + "\"abc\" threw an Exception; SRCFG00014: x");
    }

    @Test
    void onlyConfigurationFailuresAreSettingsFailures() {
        ConfigurationException config = new ConfigurationException("bad");
        assertThat(JobMain.settingsFailure(new RuntimeException(config))).isSameAs(config);
        assertThat(JobMain.settingsFailure(new IllegalStateException("boom"))).isNull();
        assertThat(JobMain.settingsFailure(null)).isNull();
    }
}
