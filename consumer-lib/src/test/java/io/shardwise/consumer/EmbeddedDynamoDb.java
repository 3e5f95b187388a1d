package io.shardwise.consumer;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One in-process DynamoDB Local for every test class of this JVM that needs one; each test uses its own tables. */
final class EmbeddedDynamoDb {
    private static AmazonDynamoDBLocal local;

    private EmbeddedDynamoDb() {
    }

    static synchronized DynamoDbClient client() {
        if (local == null) {
            AmazonDynamoDBLocal started = DynamoDBEmbedded.create();
            Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
            local = started;
        }
        return local.dynamoDbClient();
    }
}
