package io.shardwise.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The options that point a command at AWS or at a compatible endpoint (a picocli mixin). */
final class ConnectionOptions {

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region; credentials from the default chain (environment, profile, instance role).")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Kinesis endpoint, e.g. LocalStack's http://127.0.0.1:4566 (also used for DynamoDB"
                    + " unless --dynamodb-endpoint is given).")
    URI endpoint;

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", description = "DynamoDB endpoint for the lease table.")
    URI dynamoDbEndpoint;

    /** Where {@code command} runs: these options, else the environment; an error naming both when neither says. */
    Target required(String command) {
        return Target.required(this, System.getenv(), command);
    }
}
