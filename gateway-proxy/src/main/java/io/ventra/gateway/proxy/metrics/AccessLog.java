package io.ventra.gateway.proxy.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.proxy.server.ExchangeObserver;
import io.ventra.gateway.proxy.server.ExchangeRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON object per request to the {@code ventra.access} logger, which {@code logback.xml} sends to
 * stdout. The event loop only queues the finished {@link ExchangeRecord}; one writer thread per process
 * formats the line and writes it, so neither JSON formatting nor the console ever costs the event loop
 * (profiling showed the formatting at about 15 % of event-loop time). When the queue is full, lines are
 * dropped and counted rather than slowing requests.
 *
 * <p>Fields: {@code time}, {@code request_id}, {@code traceparent}, {@code method}, {@code path} (without the
 * query string, which may carry credentials), {@code status}, {@code account}, {@code plan}, {@code route} (the
 * route's pattern), {@code decision}, {@code endpoint}, {@code bytes}, {@code upstream_ms}, {@code store_ms},
 * {@code total_ms} and {@code completed}. Request headers are never logged, so API keys, bearer tokens and
 * cookies cannot appear; the account is the configured account name, not the key.
 */
public final class AccessLog implements ExchangeObserver {
    /** The logger's name; set its level to OFF to silence the access log. */
    public static final String LOGGER = "ventra.access";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_PATH_CHARS = 1024;
    private static final double NANOS_PER_MILLI = 1_000_000.0;
    private static final int QUEUE_CAPACITY = 8192;
    private static final BlockingQueue<Entry> QUEUE = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private static final AtomicLong DROPPED = new AtomicLong();
    private static final Thread WRITER = startWriter();

    @Override
    public void onExchangeCompleted(ExchangeRecord record) {
        if (log.isInfoEnabled() && !QUEUE.offer(new Entry(record, Instant.now()))) {
            DROPPED.incrementAndGet();
        }
    }

    /** Returns how many lines were dropped because the writer could not keep up. */
    public static long dropped() {
        return DROPPED.get();
    }

    /** Writes every queued line before returning, or gives up after {@code timeoutMillis}; for shutdown. */
    public static void flush(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Entry entry;
        while (System.nanoTime() < deadline && (entry = QUEUE.poll()) != null) {
            write(entry);
        }
    }

    private static Thread startWriter() {
        Thread writer = new Thread(() -> {
            while (true) {
                try {
                    write(QUEUE.take());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // One bad line must not stop the access log; the record is dropped.
                    DROPPED.incrementAndGet();
                }
            }
        }, "ventra-access-log");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    private static void write(Entry entry) {
        log.info(line(entry.record, entry.time));
    }

    private record Entry(ExchangeRecord record, Instant time) {
    }

    /** Returns the JSON line for one exchange. */
    static String line(ExchangeRecord record, Instant time) {
        StringWriter out = new StringWriter(384);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", time.toString());
            json.writeStringField("request_id", record.requestId());
            if (record.traceparent() != null) {
                json.writeStringField("traceparent", record.traceparent());
            }
            json.writeStringField("method", record.method());
            json.writeStringField("path", path(record.target()));
            json.writeNumberField("status", record.status());
            Admission admission = record.admission();
            boolean identified = admission != null && admission.caller() != null;
            json.writeStringField("account", identified ? admission.caller().account() : null);
            json.writeStringField("plan", identified ? admission.caller().plan().name() : null);
            json.writeStringField("route", admission == null || admission.route() == null
                    ? null : admission.route().path().toString());
            json.writeStringField("decision", decision(admission));
            json.writeStringField("endpoint", endpoint(admission));
            json.writeNumberField("bytes", record.responseBytes());
            writeMillis(json, "upstream_ms", record.upstreamNanos());
            writeMillis(json, "store_ms", record.storeNanos());
            writeMillis(json, "total_ms", record.totalNanos());
            json.writeBooleanField("completed", record.completed());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Drops the query and fragment, and bounds the length; the path is kept as received otherwise. */
    static String path(String target) {
        int end = target.length();
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return target.substring(0, Math.min(end, MAX_PATH_CHARS));
    }

    private static String decision(Admission admission) {
        if (admission == null) {
            return "none";
        }
        if (admission.decision() != null) {
            return admission.decision().outcome().name().toLowerCase(Locale.ROOT);
        }
        return admission.verdict().name().toLowerCase(Locale.ROOT);
    }

    private static String endpoint(Admission admission) {
        Decision decision = admission == null ? null : admission.decision();
        Quota quota = decision == null ? null : decision.quota();
        return quota == null || quota.scope() != Quota.Scope.ENDPOINT ? null : quota.limit().name();
    }

    private static void writeMillis(JsonGenerator json, String name, long nanos) throws IOException {
        if (nanos < 0) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, Math.round(nanos / NANOS_PER_MILLI * 1000) / 1000.0);
        }
    }
}
