package io.shardwise.testkit;

import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

@ShardwiseTest
@StreamShards(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardwiseExtensionIT {

    /** Names a test left behind, checked by a later test: the extension deletes them in between. */
    private static TestStream streamOfAnEarlierTest;
    private static LeaseTableName tableOfAnEarlierTest;

    private TestStream streamSeenBeforeEach;
    private LeaseTableName tableSeenBeforeEach;

    @BeforeEach
    void remember(TestStream stream, LeaseTableName table) {
        streamSeenBeforeEach = stream;
        tableSeenBeforeEach = table;
    }

    @Test
    void injectsOneActiveStreamPerTestWithTheClassShardCount(TestStream stream, LeaseTableName table,
                                                             KinesisClient kinesis) {
        assertThat(stream).isEqualTo(streamSeenBeforeEach);
        assertThat(table).isEqualTo(tableSeenBeforeEach);
        assertThat(stream.shardCount()).isEqualTo(2);
        var summary = kinesis.describeStreamSummary(b -> b.streamName(stream.name())).streamDescriptionSummary();
        assertThat(summary.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
        assertThat(summary.openShardCount()).isEqualTo(2);
        assertThat(summary.streamARN()).isEqualTo(stream.arn());
    }

    @Test
    @StreamShards(3)
    void takesTheShardCountOfTheMethodBeforeTheClass(TestStream stream, KinesisClient kinesis) {
        assertThat(stream.shardCount()).isEqualTo(3);
        assertThat(kinesis.listShards(b -> b.streamName(stream.name())).shards()).hasSize(3);
    }

    @Test
    void givesEachTestFreshNamesAndTheSharedClients(TestStream stream, LeaseTableName table, LocalEngines engines,
                                                   KinesisAsyncClient kinesisAsync, DynamoDbClient dynamoDb,
                                                   DynamoDbAsyncClient dynamoDbAsync) {
        assertThat(engines).isSameAs(LocalEngines.shared());
        assertThat(kinesisAsync).isSameAs(engines.kinesisAsyncClient());
        assertThat(dynamoDb).isSameAs(engines.dynamoDbClient());
        assertThat(dynamoDbAsync).isSameAs(engines.dynamoDbAsyncClient());
        assertThat(table.value()).startsWith("leases-givesEachTestFreshNamesAndTheSharedClients-");
        assertThat(dynamoDb.listTables().tableNames()).doesNotContain(table.value());
        assertThat(stream.name()).startsWith("givesEachTestFreshNamesAndTheSharedClients-");
    }

    @Test
    @Order(1)
    void aTestMayCreateItsLeaseTable(TestStream stream, LeaseTableName table, DynamoDbClient dynamoDb) {
        dynamoDb.createTable(b -> b.tableName(table.value()).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
        streamOfAnEarlierTest = stream;
        tableOfAnEarlierTest = table;
    }

    @Test
    @Order(2)
    void theStreamAndTableOfAnEarlierTestAreDeletedAfterIt(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        assertThat(streamOfAnEarlierTest).isNotNull();
        assertThat(dynamoDb.listTables().tableNames()).doesNotContain(tableOfAnEarlierTest.value());
        // kinesis-mock removes a stream after its (short) DELETING phase.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kinesis.listStreams().streamNames()).doesNotContain(streamOfAnEarlierTest.name()));
    }

    @Nested
    class InANestedClass {
        @Test
        void inheritsTheShardCountOfTheEnclosingClass(TestStream stream) {
            assertThat(stream.shardCount()).isEqualTo(2);
        }
    }
}
