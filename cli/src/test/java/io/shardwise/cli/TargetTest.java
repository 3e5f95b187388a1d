package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class TargetTest {

    @Test
    void optionsComeBeforeTheEnvironment() {
        ConnectionOptions options = new ConnectionOptions();
        options.endpoint = URI.create("http://127.0.0.1:4566");
        options.region = "eu-west-1";

        Target target = Target.chosen(options, Map.of(Target.KINESIS_ENV, "http://127.0.0.1:9999"));

        assertThat(target.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(target.kinesisEndpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(target.dynamoDbEndpoint()).as("LocalStack serves both").isEqualTo(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void theEnvironmentNamesBothEndpoints() {
        Target target = Target.chosen(new ConnectionOptions(), Map.of(Target.KINESIS_ENV, "http://127.0.0.1:1111",
                Target.DYNAMODB_ENV, "http://127.0.0.1:2222"));

        assertThat(target.kinesisEndpoint()).isEqualTo(URI.create("http://127.0.0.1:1111"));
        assertThat(target.dynamoDbEndpoint()).isEqualTo(URI.create("http://127.0.0.1:2222"));
        assertThat(target.region()).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void withoutAnyTargetACommandSaysHowToGetOne() {
        assertThat(Target.chosen(new ConnectionOptions(), Map.of())).isNull();
        assertThatThrownBy(() -> Target.required(new ConnectionOptions(), Map.of(), "tail"))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("tail needs a Kinesis endpoint: start one with 'shardwise local'");
    }

    @Test
    void aMalformedEndpointVariableIsNamed() {
        assertThatThrownBy(() -> Target.chosen(new ConnectionOptions(), Map.of(Target.KINESIS_ENV, "localhost")))
                .isInstanceOf(CliException.class)
                .hasMessage("SHARDWISE_KINESIS_ENDPOINT=localhost is not a URL like http://127.0.0.1:4566");
    }

    @Test
    void tailStartsParse() {
        assertThat(ShardTreeReader.Start.parse("trim-horizon").type()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
        assertThat(ShardTreeReader.Start.parse("LATEST").type()).isEqualTo(ShardIteratorType.LATEST);
        ShardTreeReader.Start at = ShardTreeReader.Start.parse("2025-01-31T12:00:00Z");
        assertThat(at.type()).isEqualTo(ShardIteratorType.AT_TIMESTAMP);
        assertThat(at.timestamp()).isEqualTo(Instant.parse("2025-01-31T12:00:00Z"));
        assertThatThrownBy(() -> ShardTreeReader.Start.parse("yesterday")).isInstanceOf(CliException.class)
                .hasMessageContaining("--from yesterday: expected trim-horizon, latest or an ISO time");
    }
}
