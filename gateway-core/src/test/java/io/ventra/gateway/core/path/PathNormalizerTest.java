package io.ventra.gateway.core.path;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every spelling of a URL that an upstream treats as the same resource must match the same routes and quotas. */
final class PathNormalizerTest {
    private static final PathPattern DISCOVERY = PathPattern.parse("/api/v1/discovery/**");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/v1/discovery,              /api/v1/discovery",
        "/,                              /",
        "/api/./v1/./discovery,          /api/v1/discovery",
        "/api/v1/x/../discovery,         /api/v1/discovery",
        "/api/v1/x/y/../../discovery,    /api/v1/discovery",
        "/api/v1/discovery/.,            /api/v1/discovery",
        "/api/v1/discovery/search/..,    /api/v1/discovery",
        "/api/v1/%2e%2e/v1/discovery,    /api/v1/discovery",
        "/api/v1/%2E/discovery,          /api/v1/discovery",
        "/api/v1/discovery/,             /api/v1/discovery/",
        "/a/b/,                          /a/b/",
    })
    void resolvesDotSegments(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/..,                            /",
        "/../../..,                      /",
        "/../api/v1/discovery,           /api/v1/discovery",
        "/api/../../../v1,               /v1",
        "/%2e%2e/%2e%2e/etc,             /etc",
    })
    void neverClimbsAboveTheRoot(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api//v1///discovery,           /api/v1/discovery",
        "/api/v1//,                      /api/v1/",
        "/api/v1/discovery//search,      /api/v1/discovery/search",
    })
    void mergesRepeatedSlashes(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/v1/%64iscovery,            /api/v1/discovery",
        "/api/v1/%44ISCOVERY,            /api/v1/discovery",
        "/%61%70%69/v1/discovery,        /api/v1/discovery",
        "/api/v1/dis%63overy,            /api/v1/discovery",
        "/a%2db%5fc%2Ed%7e,              /a-b_c.d~",
    })
    void decodesEscapedUnreservedCharacters(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/a%20b,                         /a%20b",
        "/a%25b,                         /a%25b",
        "/a%2564,                        /a%2564",
    })
    void keepsOtherEscapesEncodedAndDecodesOnlyOnce(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1%2Fdiscovery/search", "/api/v1/discovery%2fsearch", "/api%5Cv1/discovery",
        "/api/v1/disc%00overy", "/api\\v1\\discovery", "//x/api/v1/discovery", "////",
        "/api/v1/x#/../discovery", "/api/v1/discovery#top", "/api/v1/discovery/..;/search", "/api/.;x/discovery",
        "/api/v1/%2e%2e;/discovery", "/api/v1/discovery%3b/x", "/api/v1/discovery%3F", "/api/v1/discovery%23"})
    void refusesSpellingsThatUpstreamsReadDifferently(String target) {
        // Each of these could route past a quota on some upstream (an encoded or back slash, a network-path
        // reference, a fragment, a dot segment with parameters), so they are refused rather than guessed at.
        assertThat(PathNormalizer.normalize(target)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/%", "/api/%4", "/api/%zz", "/api/%g1", "/%", "/a%2", "/a%%41", "/a/%4/b"})
    void rejectsBadEscapes(String target) {
        assertThat(PathNormalizer.normalize(target)).isNull();
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"", "api/v1", "*", "example.com:443", "/a b", "/a\tb", "/a\u0000b", "/caf\u00e9",
        "/a\u007fb", "/a\r\nb"})
    void rejectsTargetsThatAreNotPaths(String target) {
        assertThat(PathNormalizer.normalize(target)).isNull();
    }

    @Test
    void rejectsNull() {
        assertThat(PathNormalizer.normalize(null)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/v1/discovery;jsessionid=abc,           /api/v1/discovery",
        "/api;x=1/v1;y=2/discovery;z=3/search,       /api/v1/discovery/search",
        "/api/v1/;/discovery,                        /api/v1/discovery",
    })
    void dropsSegmentParameters(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/v1/discovery?q=1,                      /api/v1/discovery",
        "/api/v1/discovery?next=/../admin,           /api/v1/discovery",
        "/api/v1/discovery?%zz,                      /api/v1/discovery",
        "/?,                                         /",
    })
    void dropsTheQuery(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/API/V1/DISCOVERY,                          /api/v1/discovery",
        "/Api/v1/DiScOvErY/Search,                   /api/v1/discovery/search",
    })
    void lowerCasesThePath(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://gateway.example/api/v1/discovery?q=1,      /api/v1/discovery",
        "HTTP://gateway.example:8080/API/v1/./discovery,   /api/v1/discovery",
        "https://gateway.example,                          /",
        "http://gateway.example?x=/api/v1/discovery,       /",
        "http://gateway.example#/api/v1/discovery,         /",
        "http://gateway.example:8080?/a/b,                 /",
    })
    void acceptsTheAbsoluteForm(String target, String expected) {
        assertThat(PathNormalizer.normalize(target)).isEqualTo(expected);
    }

    @Test
    void everySpellingOfADiscoveryUrlMatchesTheDiscoveryPattern() {
        Random random = new Random(20_250_101L);
        List<String> segments = List.of("api", "v1", "discovery", "search");

        for (int i = 0; i < 2_000; i++) {
            String spelling = respell(segments, random);
            String normalized = PathNormalizer.normalize(spelling);

            assertThat(normalized).as(spelling).isIn("/api/v1/discovery/search", "/api/v1/discovery/search/");
            assertThat(DISCOVERY.matches(normalized)).as(spelling).isTrue();
        }
    }

    @Test
    void noSpellingOfALookalikeUrlMatchesTheDiscoveryPattern() {
        Random random = new Random(20_250_102L);
        List<List<String>> lookalikes = List.of(
                List.of("api", "v1", "discoveryx"),
                List.of("api", "v2", "discovery"),
                List.of("api", "discovery"),
                List.of("api", "v1", "discover"));

        for (int i = 0; i < 2_000; i++) {
            String spelling = respell(lookalikes.get(i % lookalikes.size()), random);

            assertThat(DISCOVERY.matches(PathNormalizer.normalize(spelling))).as(spelling).isFalse();
        }
    }

    /** Writes a path the way an evasive client might: case, escapes, slashes, dot segments, parameters. */
    private static String respell(List<String> segments, Random random) {
        StringBuilder path = new StringBuilder();
        if (random.nextInt(4) == 0) {
            path.append(random.nextBoolean() ? "http://gateway.example" : "HTTP://Gateway.Example:8080");
        }
        for (String segment : segments) {
            boolean first = path.length() == 0;
            path.append("/".repeat(1 + (!first && random.nextInt(4) == 0 ? random.nextInt(3) : 0)));
            if (random.nextInt(5) == 0) {
                path.append(random.nextBoolean() ? "./" : "%2e/");
            }
            if (random.nextInt(5) == 0) {
                path.append("junk").append(random.nextBoolean() ? "/../" : "/%2E%2e/");
            }
            path.append(respellSegment(segment, random));
            if (random.nextInt(6) == 0) {
                path.append(";jsessionid=").append(random.nextInt(1000));
            }
        }
        if (random.nextInt(4) == 0) {
            path.append(random.nextBoolean() ? "/" : "/.");
        }
        if (random.nextInt(3) == 0) {
            path.append(random.nextBoolean() ? "?q=/../admin" : "?next=%2F..%2Fx#frag");
        }
        return path.toString();
    }

    private static String respellSegment(String segment, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : segment.toCharArray()) {
            int choice = random.nextInt(4);
            if (choice == 0) {
                String hex = String.format(Locale.ROOT, "%02X", (int) c);
                out.append('%').append(random.nextBoolean() ? hex : hex.toLowerCase(Locale.ROOT));
            } else if (choice == 1) {
                out.append(Character.toUpperCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void respellingProducesVariedTargets() {
        Random random = new Random(7);
        List<String> spellings = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            spellings.add(respell(List.of("api", "v1", "discovery"), random));
        }

        assertThat(spellings).doesNotHaveDuplicates().anyMatch(s -> s.contains("%")).anyMatch(s -> s.contains("//"))
                .anyMatch(s -> s.contains("..")).anyMatch(s -> s.contains(";")).anyMatch(s -> s.startsWith("http"));
    }
}
