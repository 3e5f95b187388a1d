package io.shardwise.testkit.engines;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A LocalStack container (Kinesis and DynamoDB) through Testcontainers. LocalStack runs
 * kinesis-mock itself and serves HTTP and HTTPS on its one edge port.
 */
final class LocalStackEngine implements AutoCloseable {

    static final String IMAGE = "localstack/localstack:3.8.1";

    private final LocalStackContainer container;

    private LocalStackEngine(LocalStackContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static LocalStackEngine start() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE))
                .withServices(LocalStackContainer.Service.KINESIS, LocalStackContainer.Service.DYNAMODB)
                // Milliseconds LocalStack's kinesis-mock takes to create, delete and reshard streams.
                .withEnv("KINESIS_LATENCY", "100")
                .withEnv("DEFAULT_REGION", LocalEngines.REGION.id());
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new LocalEngineException("the LocalStack container " + IMAGE + " did not start: " + e.getMessage()
                    + " (set " + EnginePlan.LOCALSTACK_VARIABLE + "=false to use the embedded engines instead)", e);
        }
        return new LocalStackEngine(container);
    }

    URI endpoint() {
        return URI.create("http://" + host() + ":" + container.getMappedPort(4566));
    }

    URI tlsEndpoint() {
        return URI.create("https://" + host() + ":" + container.getMappedPort(4566));
    }

    /** 127.0.0.1 rather than "localhost", which may resolve to IPv6 first. */
    private String host() {
        String host = container.getHost();
        return "localhost".equals(host) ? "127.0.0.1" : host;
    }

    @Override
    public void close() {
        container.close();
    }
}
