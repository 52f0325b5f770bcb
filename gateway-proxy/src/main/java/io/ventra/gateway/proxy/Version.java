package io.ventra.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version and git commit, read from {@code ventra-version.properties} written at build time. */
public final class Version {
    public static final String VERSION;
    public static final String COMMIT;

    static {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/ventra-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Fall through to the defaults: a missing version must not stop the gateway.
        }
        VERSION = resolved(properties.getProperty("version"));
        String commit = resolved(properties.getProperty("commit"));
        COMMIT = commit.equals("unknown") ? resolved(properties.getProperty("checkout-commit")) : commit;
    }

    private Version() {
    }

    /** Returns the value, or "unknown" when it is missing or the build left a placeholder in it. */
    private static String resolved(String value) {
        return value == null || value.isBlank() || value.contains("${") ? "unknown" : value.strip();
    }
}
