package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.utils.AttributeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class LocalEnginesIT {

    private final LocalEngines engines = LocalEngines.shared();

    @Test
    void createsAStreamThenWritesAndReadsItBackOverTheDefaultCborProtocol() {
        String name = engines.uniqueName("roundtrip");
        String arn = engines.createStream(name, 2);
        assertThat(arn).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/" + name);

        KinesisClient kinesis = engines.kinesisClient();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i)
                    .data(SdkBytes.fromString("record-" + i, StandardCharsets.UTF_8)).build());
        }
        PutRecordsResponse put = kinesis.putRecords(b -> b.streamName(name).records(entries));
        assertThat(put.failedRecordCount()).isZero();

        List<String> read = new ArrayList<>();
        for (var shard : kinesis.listShards(b -> b.streamName(name)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(name).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse records = kinesis.getRecords(b -> b.shardIterator(iterator).limit(100));
            for (Record record : records.records()) {
                read.add(record.data().asUtf8String());
            }
        }
        assertThat(read).containsExactlyInAnyOrderElementsOf(
                entries.stream().map(e -> e.data().asUtf8String()).toList());
    }

    @Test
    void rejectsAConditionalWriteWithAStaleCondition() {
        DynamoDbClient dynamoDb = engines.dynamoDbClient();
        String table = engines.uniqueName("leases");
        dynamoDb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
        dynamoDb.putItem(b -> b.tableName(table).item(lease("1")));
        // Another worker renews the lease: the counter moves from 1 to 2.
        dynamoDb.putItem(b -> b.tableName(table).item(lease("2"))
                .conditionExpression("leaseCounter = :expected")
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN("1"))));

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(lease("2"))
                .conditionExpression("leaseCounter = :expected")
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN("1")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(dynamoDb.getItem(b -> b.tableName(table).key(Map.of("leaseKey", AttributeValue.fromS("shardId-0"))))
                .item().get("leaseCounter").n()).isEqualTo("2");
    }

    @Test
    void servesKinesisOverTlsToo() {
        // kinesis-mock's certificate is self-signed and not for 127.0.0.1: trust it as the KPL's verifyCertificate=false does.
        try (KinesisClient tls = KinesisClient.builder()
                .endpointOverride(engines.kinesisTlsEndpoint()).region(engines.region())
                .credentialsProvider(engines.credentials())
                .httpClient(ApacheHttpClient.builder().buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build()))
                .build()) {
            String name = engines.uniqueName("tls");
            engines.createStream(name, 1);

            assertThat(engines.kinesisTlsEndpoint().getScheme()).isEqualTo("https");
            assertThat(tls.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamName())
                    .isEqualTo(name);
        }
    }

    @Test
    void usesTheEndpointsGivenInTheEnvironmentWithoutStartingAnEngine() {
        Map<String, String> env = Map.of(
                "SHARDWISE_KINESIS_ENDPOINT", engines.kinesisEndpoint().toString(),
                "SHARDWISE_DYNAMODB_ENDPOINT", engines.dynamoDbEndpoint().toString());
        try (LocalEngines external = LocalEngines.start(env)) {
            assertThat(external.kinesisMockPid()).isEmpty();
            assertThat(external.kinesisEndpoint()).isEqualTo(engines.kinesisEndpoint());
            assertThat(external.kinesisTlsEndpoint()).isEqualTo(engines.kinesisEndpoint());
            assertThat(external.dynamoDbEndpoint()).isEqualTo(engines.dynamoDbEndpoint());

            String name = external.uniqueName("external");
            external.createStream(name, 1);
            assertThat(engines.kinesisClient().listStreams().streamNames()).contains(name);
        }
        // Closing it must leave the engines it did not start running.
        assertThat(engines.kinesisClient().listStreams().streamNames()).isNotNull();
    }

    private static Map<String, AttributeValue> lease(String counter) {
        return Map.of("leaseKey", AttributeValue.fromS("shardId-0"), "leaseCounter", AttributeValue.fromN(counter));
    }
}
