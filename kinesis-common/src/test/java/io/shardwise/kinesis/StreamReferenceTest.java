package io.shardwise.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

class StreamReferenceTest {

    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";

    @Test
    void aNameIsANameAndAnArnNamesStreamRegionAndAccount() {
        StreamReference byName = StreamReference.parse("orders");
        assertThat(byName.name()).isEqualTo("orders");
        assertThat(byName.arn()).isNull();
        assertThat(byName.region()).isEmpty();
        assertThat(byName.label()).isEqualTo("orders");

        StreamReference byArn = StreamReference.parse(ARN);
        assertThat(byArn.name()).isEqualTo("orders");
        assertThat(byArn.arn()).isEqualTo(ARN);
        assertThat(byArn.region()).contains("eu-west-1");
        assertThat(byArn.accountId()).contains("123456789012");
        assertThat(byArn).hasToString(ARN);
        assertThat(new StreamReference("orders", ARN)).isEqualTo(byArn);
        assertThat(new StreamReference(null, ARN)).isEqualTo(StreamReference.ofArn(ARN));
    }

    @Test
    void requestsCarryTheArnWhenThereIsOneElseTheName() {
        ListShardsRequest byArn = StreamRequests.apply(StreamReference.ofArn(ARN), ListShardsRequest.builder()).build();
        assertThat(byArn.streamARN()).isEqualTo(ARN);
        assertThat(byArn.streamName()).isNull();
        PutRecordsRequest byName = StreamRequests.apply(StreamReference.ofName("orders"), PutRecordsRequest.builder()).build();
        assertThat(byName.streamName()).isEqualTo("orders");
        assertThat(byName.streamARN()).isNull();
    }

    @Test
    void rejectsMissingNamesBadArnsAndMismatchesNamingTheValue() {
        assertThatThrownBy(() -> StreamReference.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> StreamReference.parse(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamReference.parse("arn:aws:sqs:us-east-1:123456789012:queue"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arn:aws:sqs");
        assertThatThrownBy(() -> new StreamReference("other", ARN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other").hasMessageContaining(ARN);
    }
}
