package io.ventra.gateway.core.testing.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Opens admin connections to harness processes and runs raw commands on them.
 */
final class RedisAdmin {

    /** Timeout of every admin command. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static final RedisClient CLIENT = createClient();

    private RedisAdmin() {
    }

    /** Connects with RESP2, no auto-reconnect, and a 5 s command timeout. */
    static StatefulRedisConnection<String, String> connect(String host, int port) {
        return CLIENT.connect(RedisURI.builder().withHost(host).withPort(port).withTimeout(COMMAND_TIMEOUT).build());
    }

    /** Runs {@code name args...} and decodes the reply (see {@link ReplyOutput}). */
    static Object dispatch(RedisCommands<String, String> commands, String name, String... args) {
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            commandArgs.add(arg);
        }
        return commands.dispatch(new Keyword(name), new ReplyOutput(), commandArgs);
    }

    private static RedisClient createClient() {
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP2)
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return client;
    }

    /** Names an arbitrary command for {@code dispatch}. */
    private record Keyword(String command) implements ProtocolKeyword {

        @Override
        public byte[] getBytes() {
            return command.getBytes(US_ASCII);
        }

        @Override
        public String toString() {
            return command;
        }
    }

    /**
     * Decodes any RESP2 reply into {@code String}, {@code Long}, {@code null} or nested {@code List<Object>}.
     * Needed because Lettuce 7.7's {@code ObjectOutput} throws UnsupportedOperationException on RESP2 replies.
     */
    private static final class ReplyOutput extends CommandOutput<String, String, Object> {

        private final Deque<Frame> open = new ArrayDeque<>();

        ReplyOutput() {
            super(StringCodec.UTF8, null);
        }

        @Override
        public void set(ByteBuffer bytes) {
            add(bytes == null ? null : decodeString(bytes));
        }

        @Override
        public void setSingle(ByteBuffer bytes) {
            set(bytes);
        }

        @Override
        public void set(long integer) {
            add(integer);
        }

        @Override
        public void set(double number) {
            add(number);
        }

        @Override
        public void set(boolean value) {
            add(value);
        }

        @Override
        public void multi(int count) {
            List<Object> items = count < 0 ? null : new ArrayList<>(count);
            add(items);
            if (count > 0) {
                open.push(new Frame(items, count));
            }
        }

        private void add(Object value) {
            if (open.isEmpty()) {
                output = value;
                return;
            }
            open.peek().items().add(value);
            while (!open.isEmpty() && open.peek().items().size() == open.peek().size()) {
                open.pop();
            }
        }

        private record Frame(List<Object> items, int size) {
        }
    }
}
