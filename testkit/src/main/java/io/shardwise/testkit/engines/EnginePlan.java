package io.shardwise.testkit.engines;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where each engine comes from, chosen in this order: an endpoint given in the environment, a
 * LocalStack container when a Docker engine answers, else the engines embedded in the kit.
 */
record EnginePlan(Source kinesis, Source dynamoDb) {

    static final String KINESIS_ENDPOINT_VARIABLE = "SHARDWISE_KINESIS_ENDPOINT";
    static final String DYNAMODB_ENDPOINT_VARIABLE = "SHARDWISE_DYNAMODB_ENDPOINT";
    /** Set to {@code false} to skip LocalStack even when Docker runs. */
    static final String LOCALSTACK_VARIABLE = "SHARDWISE_LOCALSTACK";

    enum Source { EXTERNAL, LOCALSTACK, EMBEDDED }

    /** Asks {@code dockerAvailable} only when an engine is not given by the environment. */
    static EnginePlan choose(Map<String, String> env, BooleanSupplier dockerAvailable) {
        boolean kinesisGiven = isSet(env.get(KINESIS_ENDPOINT_VARIABLE));
        boolean dynamoDbGiven = isSet(env.get(DYNAMODB_ENDPOINT_VARIABLE));
        if (kinesisGiven && dynamoDbGiven) {
            return new EnginePlan(Source.EXTERNAL, Source.EXTERNAL);
        }
        boolean localStackAllowed = !"false".equalsIgnoreCase(env.getOrDefault(LOCALSTACK_VARIABLE, "").trim());
        Source fallback = localStackAllowed && dockerAvailable.getAsBoolean() ? Source.LOCALSTACK : Source.EMBEDDED;
        return new EnginePlan(kinesisGiven ? Source.EXTERNAL : fallback, dynamoDbGiven ? Source.EXTERNAL : fallback);
    }

    /** The endpoint in {@code variable}: an absolute http or https URI with a host. */
    static URI endpointFrom(Map<String, String> env, String variable) {
        String value = env.get(variable).trim();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new LocalEngineException(variable + " is '" + value + "', not an http or https endpoint: set it "
                    + "to a URI such as http://127.0.0.1:4566, or unset it to use the embedded engines.");
        }
        return uri;
    }

    boolean needsLocalStack() {
        return kinesis == Source.LOCALSTACK || dynamoDb == Source.LOCALSTACK;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * Whether a Docker engine answers. Without any sign of Docker (no DOCKER_HOST, no socket, no
     * Testcontainers configuration) it answers false at once, without loading Testcontainers,
     * which would otherwise log errors about the missing environment.
     */
    static boolean dockerAvailable(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        boolean hint = isSet(env.get("DOCKER_HOST"))
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"));
        if (!hint) {
            return false;
        }
        try {
            return LocalStackEngine.dockerAvailable();
        } catch (LinkageError testcontainersMissing) {
            return false;
        }
    }
}
