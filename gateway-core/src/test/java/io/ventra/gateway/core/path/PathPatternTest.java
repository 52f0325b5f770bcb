package io.ventra.gateway.core.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code *} is exactly one segment, {@code **} any number of segments (none included). */
final class PathPatternTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "/api/v1/discovery/**,  /api/v1/discovery,              true",
        "/api/v1/discovery/**,  /api/v1/discovery/,             true",
        "/api/v1/discovery/**,  /api/v1/discovery/search,       true",
        "/api/v1/discovery/**,  /api/v1/discovery/a/b/c,        true",
        "/api/v1/discovery/**,  /api/v1/discoveryx,             false",
        "/api/v1/discovery/**,  /api/v1/discoveryx/search,      false",
        "/api/v1/discovery/**,  /api/v1/discover,               false",
        "/api/v1/discovery/**,  /api/v1,                        false",
        "/api/v1/discovery/**,  /api/v2/discovery,              false",
        "/api/v1/discovery/**,  /,                              false",
        "/**,                   /,                              true",
        "/**,                   /anything/at/all,               true",
        "/,                     /,                              true",
        "/,                     /a,                             false",
    })
    void doubleStarMatchesAnyNumberOfSegments(String pattern, String path, boolean matches) {
        assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "/api/*,                /api/x,                         true",
        "/api/*,                /api/x/,                        true",
        "/api/*,                /api,                           false",
        "/api/*,                /api/x/y,                       false",
        "/api/*/search,         /api/v1/search,                 true",
        "/api/*/search,         /api/search,                    false",
        "/api/*/search,         /api/v1/v2/search,              false",
        "/*,                    /,                              false",
    })
    void singleStarMatchesExactlyOneSegment(String pattern, String path, boolean matches) {
        assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "/api/**/search,        /api/search,                    true",
        "/api/**/search,        /api/v1/search,                 true",
        "/api/**/search,        /api/v1/x/y/search,             true",
        "/api/**/search,        /api/v1/search/more,            false",
        "/**/health,            /health,                        true",
        "/**/health,            /a/b/health,                    true",
        "/api/**/*/x,           /api/a/x,                       true",
        "/api/**/*/x,           /api/x,                         false",
    })
    void doubleStarInTheMiddleMatchesAnyNumberOfSegments(String pattern, String path, boolean matches) {
        assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(matches);
    }

    @Test
    void patternIsCaseInsensitiveOnNormalizedPaths() {
        PathPattern pattern = PathPattern.parse("/API/V1/Discovery/**");

        assertThat(pattern.matches(PathNormalizer.normalize("/api/V1/DISCOVERY/Search"))).isTrue();
        assertThat(pattern.matches("/api/v1/discovery")).isTrue();
    }

    @Test
    void patternIgnoresRepeatedAndTrailingSlashes() {
        assertThat(PathPattern.parse("//api//v1/").matches("/api/v1")).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"api/**", "", "/api/v1*", "/api/*x/y", "/a/***", "/a/b**"})
    void rejectsMalformedPatterns(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse(pattern))
                .withMessageStartingWith("'" + pattern + "' (expected: ");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/v1/discovery/**,  /api/v1/discovery",
        "/api/*/search,         /api",
        "/**,                   /",
        "/health,               /health",
    })
    void literalPrefixIsTheFixedPartBeforeTheFirstWildcard(String pattern, String prefix) {
        assertThat(PathPattern.parse(pattern).literalPrefix()).isEqualTo(prefix);
    }

    @Test
    void showsThePatternAsWritten() {
        assertThat(PathPattern.parse("/API/**")).hasToString("/API/**");
    }
}
