package io.ventra.gateway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ventra.gateway.core.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding of the {@code proxy:} section: limits, timeouts, pool bound and trusted proxies. */
final class ProxyConfigBindingTest {
    @TempDir
    Path dir;

    @Test
    void leavesSafeDefaultsWhenTheSectionIsMissing() {
        ProxyConfig proxy = TestConfigs.load(dir).proxy();

        assertThat(proxy).isEqualTo(ProxyConfig.DEFAULT);
        assertThat(proxy.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(proxy.headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(proxy.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(proxy.maxConnections()).isEqualTo(10_000);
        assertThat(proxy.maxRequestsPerConnection()).isEqualTo(1000);
        assertThat(proxy.poolMaxConnections()).isEqualTo(256);
        assertThat(proxy.trustedProxies()).isEmpty();
        assertThat(proxy.isTrustedProxy("127.0.0.1")).isFalse();
    }

    @Test
    void bindsEverySetting() {
        ProxyConfig proxy = load("""
                proxy:
                  max-body-size: 1024
                  header-read-timeout: 5s
                  idle-timeout: 30s
                  max-connections: 50
                  max-requests-per-connection: 7
                  pool-max-connections: 3
                  trusted-proxies: [10.0.0.0/8, "::1", 192.168.1.7]
                """).proxy();

        assertThat(proxy.maxBodyBytes()).isEqualTo(1024);
        assertThat(proxy.headerReadTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(proxy.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(proxy.maxConnections()).isEqualTo(50);
        assertThat(proxy.maxRequestsPerConnection()).isEqualTo(7);
        assertThat(proxy.poolMaxConnections()).isEqualTo(3);
        assertThat(proxy.trustedProxies()).extracting(Cidr::toString)
                .containsExactly("10.0.0.0/8", "0:0:0:0:0:0:0:1/128", "192.168.1.7/32");
        assertThat(proxy.isTrustedProxy("10.200.3.4")).isTrue();
        assertThat(proxy.isTrustedProxy("::ffff:10.1.1.1")).isTrue();
        assertThat(proxy.isTrustedProxy("::1")).isTrue();
        assertThat(proxy.isTrustedProxy("192.168.1.8")).isFalse();
        assertThat(proxy.isTrustedProxy("not-an-address")).isFalse();
    }

    @Test
    void reportsEveryBadSettingWithItsYamlPath() {
        Throwable error = catchThrowable(() -> load("""
                proxy:
                  max-body-size: 0
                  header-read-timeout: 10
                  idle-timeout: 0s
                  max-connections: -1
                  max-requests-per-connection: abc
                  pool-max-connections: 0
                  trusted-proxies: [10.0.0.0/33, example.com, 300.1.1.1]
                  max-body-sise: 5
                """));

        assertThat(error).isInstanceOf(ConfigException.class);
        assertThat(error.getMessage()).contains(
                "proxy.max-body-size: 0 (expected",
                "proxy.header-read-timeout: '10' (expected",
                "proxy.idle-timeout: '0s' (expected",
                "proxy.max-connections: -1 (expected",
                "proxy.max-requests-per-connection: 'abc' (expected",
                "proxy.pool-max-connections: 0 (expected",
                "proxy.trusted-proxies[0]: '10.0.0.0/33' (expected",
                "proxy.trusted-proxies[1]: 'example.com' (expected",
                "proxy.trusted-proxies[2]: '300.1.1.1' (expected",
                "max-body-sise");
    }

    @Test
    void parsesCidrsWithoutResolvingNames() {
        assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
        assertThat(Cidr.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:1::1")).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains("10.0.0.1")).isFalse();
        for (String bad : List.of("localhost", "10.0.0.0/", "1.2.3", "10.0.0.0/8/8", "::1/129", "")) {
            assertThat(catchThrowable(() -> Cidr.parse(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private GatewayConfig load(String proxySection) {
        return TestConfigs.load(dir, TestConfigs.GATEWAY_YAML + proxySection);
    }
}
