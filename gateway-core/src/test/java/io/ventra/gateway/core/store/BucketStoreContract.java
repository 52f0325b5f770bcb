package io.ventra.gateway.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store TCK: what every {@link BucketStore} must do, whatever keeps its buckets. A store's test extends this
 * class and implements the two factory methods; every test here then runs against that store.
 *
 * <p>Rules a subclass can rely on:
 * <ul>
 *   <li>Before each test the contract calls {@link #createClock()} and then {@link #createStore(ManualClock)}
 *       with that clock. The store must take all bucket time from that clock; tests move it instead of
 *       sleeping (forwards by years, and back).</li>
 *   <li>After each test the contract calls {@link BucketStore#close()}. A subclass that shares one server or
 *       connection across tests may hand out a store whose {@code close()} leaves the shared part open.</li>
 *   <li>Each test uses fresh account names with a random suffix ({@link #freshAccount()}), so a server shared
 *       by all tests, or by several runs, needs no flushing between tests.</li>
 *   <li>Only the {@link BucketStore} interface is used, never a store's own methods, and every future is
 *       awaited at most {@link #TIMEOUT}.</li>
 * </ul>
 */
public abstract class BucketStoreContract {
    /** The longest the contract waits for one store operation. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Free: 30 per minute, one token back every 2 s. */
    protected static final Quota FREE = plan("free", 30, Duration.ofMinutes(1), RefillMode.GREEDY);
    /** Pro: 120 per minute, one token back every 0.5 s. */
    protected static final Quota PRO = plan("pro", 120, Duration.ofMinutes(1), RefillMode.GREEDY);
    /** A stress limit for overflow: 10,000 per hour. */
    protected static final Quota BULK = plan("bulk", 10_000, Duration.ofHours(1), RefillMode.GREEDY);
    /** A fixed window: 30 per minute, all coming back at the end of each minute. */
    protected static final Quota WINDOW = plan("window", 30, Duration.ofMinutes(1), RefillMode.INTERVAL);
    /** Discovery: 5 per minute, one token back every 12 s. */
    protected static final Quota DISCOVERY = endpoint("discovery", 5, Duration.ofMinutes(1));

    private ManualClock clock;
    private BucketStore store;
    private String account;

    /** Returns the clock for one test; called before {@link #createStore(ManualClock)}. */
    protected abstract ManualClock createClock();

    /** Returns an empty store (as far as fresh account names can tell) that reads time from {@code clock}. */
    protected abstract BucketStore createStore(ManualClock clock);

    @BeforeEach
    protected final void openStore() {
        clock = createClock();
        store = createStore(clock);
        account = freshAccount();
    }

    @AfterEach
    protected final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    public void firstConsumeOfANewBucketLeavesCapacityMinusOne() {
        // C08: the request that creates the bucket is already counted in what it reports
        assertThat(consume(FREE).remaining()).isEqualTo(29);
        assertThat(consume(freshAccount(), PRO).remaining()).isEqualTo(119);
        assertThat(consume(freshAccount(), BULK).remaining()).isEqualTo(9_999);
    }

    @Test
    public void remainingCountsDownToZeroAndDenialsShowZeroNeverNegative() {
        // C08 step 1: a burst of 32 on Free shows 29, 28, ..., 0, then two denials with 0
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Probe probe = consume(FREE);
            assertThat(probe.consumed()).as("request %d", i + 1).isTrue();
            remaining.add(probe.remaining());
        }

        assertThat(remaining).containsExactlyElementsOf(countdown(29));
        for (int i = 0; i < 2; i++) {
            Probe denied = consume(FREE);
            assertThat(denied.consumed()).isFalse();
            assertThat(denied.remaining()).isZero();
        }
    }

    @Test
    public void bucketIdleForLongerThanItsPeriodShowsTheSameNumberAsANewOne() {
        // C08 step 3: after 65 s without traffic (a store may have dropped the bucket) the answer is 29 again
        drain(FREE);

        clock.advance(Duration.ofSeconds(65));

        assertThat(consume(FREE).remaining()).isEqualTo(29);
    }

    @Test
    public void greedyRefillGivesFreeOneTokenEveryTwoSeconds() {
        drain(FREE);

        clock.advance(Duration.ofMillis(1_999));
        assertThat(consume(FREE).consumed()).isFalse();

        clock.advance(Duration.ofMillis(1));
        Probe probe = consume(FREE);
        assertThat(probe.consumed()).isTrue();
        assertThat(probe.remaining()).isZero();

        clock.advance(Duration.ofSeconds(10));
        assertThat(consume(FREE).remaining()).isEqualTo(4);
    }

    @Test
    public void greedyRefillGivesProOneTokenEveryHalfSecond() {
        drain(PRO);

        clock.advance(Duration.ofSeconds(3));

        assertThat(consume(PRO).remaining()).isEqualTo(5);
    }

    @Test
    public void intervalRefillRestoresTheWholeLimitOnlyAtTheEndOfThePeriod() {
        drain(WINDOW);

        clock.advance(Duration.ofSeconds(59));
        Probe denied = consume(WINDOW);
        assertThat(denied.consumed()).isFalse();
        assertThat(denied.nanosToNextToken()).isEqualTo(Duration.ofSeconds(1).toNanos());

        clock.advance(Duration.ofSeconds(1));
        assertThat(consume(WINDOW).remaining()).isEqualTo(29);
    }

    @Test
    public void denialSaysExactlyHowLongUntilTheNextTokenAndARetryAfterThatLongSucceeds() {
        assertWaitIsExact(FREE, Duration.ofSeconds(2));
        assertWaitIsExact(PRO, Duration.ofMillis(500));
        assertWaitIsExact(DISCOVERY, Duration.ofSeconds(12));
    }

    @Test
    public void probeSaysHowLongUntilTheBucketIsFullAgain() {
        assertThat(consume(FREE).nanosToFull()).isEqualTo(Duration.ofSeconds(2).toNanos());

        Probe afterTen = consume(FREE, 9).get(8);
        assertThat(afterTen.nanosToFull()).isEqualTo(Duration.ofSeconds(20).toNanos());

        clock.advance(Duration.ofSeconds(4));
        Probe refilled = consume(FREE);
        assertThat(refilled.remaining()).isEqualTo(21);
        assertThat(refilled.nanosToFull()).isEqualTo(Duration.ofSeconds(18).toNanos());
    }

    @ParameterizedTest(name = "idle {0}")
    @ValueSource(strings = {"PT12H", "P30D", "P365D", "P3650D"})
    public void longIdlePeriodsNeitherOverflowNorGoNegative(String idle) {
        // C09 steps 1 and 2: 10,000 tokens x 1 year in ns overflows a long if multiplied naively
        assertThat(consume(PRO).remaining()).isEqualTo(119);
        assertThat(consume(BULK).remaining()).isEqualTo(9_999);

        clock.advance(Duration.parse(idle));

        assertFullBucketTakesOne(PRO);
        assertFullBucketTakesOne(BULK);
    }

    @ParameterizedTest(name = "idle {0}")
    @ValueSource(strings = {"PT12H", "P30D", "P365D", "P3650D"})
    public void emptyBucketIdleForYearsRefillsToCapacityAndNoMore(String idle) {
        // C09: never above capacity after a long idle period
        drain(PRO);

        clock.advance(Duration.parse(idle));

        assertThat(consume(PRO, 120)).allSatisfy(probe -> assertThat(probe.consumed()).isTrue());
        assertThat(consume(PRO).consumed()).isFalse();
    }

    @Test
    public void clockMovingBackNeitherRefillsNorLocksTheBucket() {
        // C09 step 3
        long t = clock.nanos();
        assertThat(consume(PRO, 10).get(9).remaining()).isEqualTo(110);

        clock.set(t - Duration.ofHours(1).toNanos());
        Probe back = consume(PRO);
        assertThat(back.consumed()).isTrue();
        assertThat(back.remaining()).isEqualTo(109);

        clock.set(t + Duration.ofSeconds(1).toNanos());
        Probe forward = consume(PRO);
        assertThat(forward.consumed()).isTrue();
        assertThat(forward.remaining()).isBetween(108L, 111L);
    }

    @Test
    public void emptyBucketStaysEmptyWhenTheClockMovesBackAndRecoversOnceItMovesOn() {
        // C09 step 3, empty variant: no full refill, and no wait of an hour either
        long t = clock.nanos();
        drain(FREE);

        clock.set(t - Duration.ofHours(1).toNanos());
        Probe denied = consume(FREE);
        assertThat(denied.consumed()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.nanosToNextToken()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1).toNanos());

        clock.set(t + Duration.ofSeconds(2).toNanos());
        assertThat(consume(FREE).consumed()).isTrue();
    }

    @Test
    public void refundGivesBackOneTokenAndNeverExceedsCapacity() {
        assertThat(consume(FREE, 3).get(2).remaining()).isEqualTo(27);

        refund(FREE);
        assertThat(consume(FREE).remaining()).isEqualTo(27);

        for (int i = 0; i < 5; i++) {
            refund(FREE);
        }
        assertThat(consume(FREE).remaining()).isEqualTo(29);
    }

    @Test
    public void refundToABucketNeverUsedLeavesItAtCapacity() {
        refund(FREE);

        assertThat(consume(FREE).remaining()).isEqualTo(29);
    }

    @Test
    public void reconfiguredQuotaCapsTheTokensItHadAtTheNewCapacity() {
        consume(FREE, 10);

        Quota smaller = plan("free", 10, Duration.ofMinutes(1), RefillMode.GREEDY);
        Probe probe = consume(smaller);

        assertThat(probe.consumed()).isTrue();
        assertThat(probe.remaining()).isEqualTo(9);
        assertThat(probe.nanosToFull()).isEqualTo(Duration.ofSeconds(6).toNanos());
    }

    @Test
    public void reconfiguredQuotaWithMoreCapacityKeepsTheTokensItHad() {
        consume(FREE, 10);

        Quota bigger = plan("free", 60, Duration.ofMinutes(1), RefillMode.GREEDY);

        assertThat(consume(bigger).remaining()).isEqualTo(19);
    }

    @Test
    public void reconfiguredQuotaRefillsAtTheNewRate() {
        drain(FREE);
        Quota faster = plan("free", 30, Duration.ofSeconds(30), RefillMode.GREEDY);

        Probe denied = consume(faster);
        assertThat(denied.consumed()).isFalse();
        assertThat(denied.nanosToNextToken()).isEqualTo(Duration.ofSeconds(1).toNanos());

        clock.advance(Duration.ofSeconds(1));
        assertThat(consume(faster).consumed()).isTrue();
    }

    @Test
    public void reconfiguredQuotaWithALongerPeriodIsKeptUntilItHasRefilled() {
        // Dropping the bucket after the old period would hand out 30 fresh tokens under a 30/hour limit.
        drain(FREE);
        Quota slower = plan("free", 30, Duration.ofHours(1), RefillMode.GREEDY);
        assertThat(consume(slower).consumed()).isFalse();

        clock.advance(Duration.ofMinutes(2));
        Probe probe = consume(slower);

        assertThat(probe.consumed()).isTrue();
        assertThat(probe.remaining()).isZero();
    }

    @Test
    public void eachAccountAndQuotaHasItsOwnBucket() {
        // C12 step 4: separate buckets for (account, plan), (account, Discovery), and per account
        drain(FREE);

        assertThat(consume(freshAccount(), FREE).remaining()).isEqualTo(29);
        assertThat(consume(DISCOVERY).remaining()).isEqualTo(4);
        assertThat(consume(PRO).remaining()).isEqualTo(119);
        assertThat(consume(FREE).consumed()).isFalse();
    }

    @Test
    public void planAndEndpointQuotasWithTheSameNameDoNotShareABucket() {
        LimitConfig search = new LimitConfig("search", 5, Duration.ofMinutes(1), RefillMode.GREEDY);
        Quota planSearch = new Quota(Quota.Scope.PLAN, search);
        Quota endpointSearch = new Quota(Quota.Scope.ENDPOINT, search);

        drain(planSearch);

        assertThat(consume(endpointSearch).remaining()).isEqualTo(4);
        assertThat(consume(planSearch).consumed()).isFalse();
    }

    @Test
    public void accountNamesWithSeparatorCharactersDoNotShareBuckets() {
        String base = account;
        List<String> lookalikes = List.of(base + ":plan", base + ":plan:free", "{" + base + "}", base + "}",
                "ip:" + base, base + " ", base + "/x", base + "é");

        drain(FREE);

        for (String other : lookalikes) {
            assertThat(consume(other, FREE).remaining()).as(other).isEqualTo(29);
        }
    }

    @Test
    public void concurrentConsumesTakeExactlyTheCapacityWithDistinctRemainingValues() throws Exception {
        // C17 at the store level: 100 concurrent requests on one Free bucket
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Probe>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return store.tryConsume(account, FREE);
                }, threads).thenCompose(f -> f));
            }

            start.countDown();
            List<Probe> probes = futures.stream().map(BucketStoreContract::await).collect(Collectors.toList());

            List<Long> remaining = probes.stream().filter(Probe::consumed).map(Probe::remaining)
                    .collect(Collectors.toList());
            assertThat(remaining).containsExactlyInAnyOrderElementsOf(countdown(29));
            assertThat(probes).filteredOn(p -> !p.consumed()).hasSize(70)
                    .allSatisfy(p -> assertThat(p.remaining()).isZero());
        } finally {
            threads.shutdownNow();
        }
    }

    /** Returns the clock of the running test. */
    protected final ManualClock clock() {
        return clock;
    }

    /** Returns the store of the running test. */
    protected final BucketStore store() {
        return store;
    }

    /** Returns the account the running test uses by default. */
    protected final String account() {
        return account;
    }

    /** Returns an account name no other test (or earlier run on a shared server) has used. */
    protected static String freshAccount() {
        return "tck-" + UUID.randomUUID();
    }

    /** Returns a plan quota. */
    protected static Quota plan(String name, long limit, Duration period, RefillMode refill) {
        return new Quota(Quota.Scope.PLAN, new LimitConfig(name, limit, period, refill));
    }

    /** Returns a greedy endpoint quota. */
    protected static Quota endpoint(String name, long limit, Duration period) {
        return new Quota(Quota.Scope.ENDPOINT, new LimitConfig(name, limit, period, RefillMode.GREEDY));
    }

    /** Takes one token from the default account's bucket. */
    protected final Probe consume(Quota quota) {
        return consume(account, quota);
    }

    /** Takes one token from {@code owner}'s bucket. */
    protected final Probe consume(String owner, Quota quota) {
        return await(store.tryConsume(owner, quota));
    }

    /** Takes {@code times} tokens one by one from the default account's bucket; returns every probe. */
    protected final List<Probe> consume(Quota quota, int times) {
        List<Probe> probes = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            probes.add(consume(quota));
        }
        return probes;
    }

    /** Gives one token back to the default account's bucket. */
    protected final void refund(Quota quota) {
        await(store.refund(account, quota));
    }

    /** Empties the default account's full bucket, checking that every token could be taken. */
    protected final void drain(Quota quota) {
        List<Probe> probes = consume(quota, (int) quota.limit().limit());
        assertThat(probes).allSatisfy(probe -> assertThat(probe.consumed()).isTrue());
        assertThat(probes.get(probes.size() - 1).remaining()).isZero();
    }

    private void assertWaitIsExact(Quota quota, Duration expected) {
        drain(quota);

        Probe denied = consume(quota);
        assertThat(denied.consumed()).as(quota.bucketName()).isFalse();
        assertThat(denied.nanosToNextToken()).as(quota.bucketName()).isEqualTo(expected.toNanos());

        clock.advanceNanos(denied.nanosToNextToken() - 1);
        assertThat(consume(quota).consumed()).as("%s 1 ns early", quota.bucketName()).isFalse();

        clock.advanceNanos(1);
        assertThat(consume(quota).consumed()).as("%s on time", quota.bucketName()).isTrue();
    }

    private void assertFullBucketTakesOne(Quota quota) {
        Probe probe = consume(quota);
        long capacity = quota.limit().limit();
        assertThat(probe.consumed()).as(quota.bucketName()).isTrue();
        assertThat(probe.remaining()).as(quota.bucketName()).isEqualTo(capacity - 1);
        assertThat(probe.nanosToFull()).as(quota.bucketName())
                .isBetween(0L, quota.limit().period().toNanos() / capacity);
    }

    private static List<Long> countdown(long from) {
        return LongStream.rangeClosed(0, from).map(i -> from - i).boxed().collect(Collectors.toList());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("store operation failed or took longer than " + TIMEOUT, e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
