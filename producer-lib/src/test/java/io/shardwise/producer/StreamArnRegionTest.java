package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** A stream ARN names its region: the client the producer builds goes there unless a region is given. */
class StreamArnRegionTest {
    private static final String ARN = "arn:aws:kinesis:ap-southeast-2:123456789012:stream/orders";

    @Test
    void theArnsRegionIsTheClientsRegion() {
        try (KinesisProducer producer = builder().build()) {
            assertThat(producer.kinesisClient().serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTHEAST_2);
        }
    }

    @Test
    void aRegionGivenWins() {
        try (KinesisProducer producer = builder().region(Region.EU_WEST_1).build()) {
            assertThat(producer.kinesisClient().serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
        }
    }

    private static KinesisProducer.Builder builder() {
        return KinesisProducer.builder().stream(ARN).kinesisEndpoint(URI.create("http://localhost:1"))
                .credentialsProvider(AnonymousCredentialsProvider.create());
    }
}
