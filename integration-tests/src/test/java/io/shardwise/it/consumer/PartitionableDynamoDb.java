package io.shardwise.it.consumer;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The real DynamoDB Local client behind a switch that cuts one worker off the network: while
 * partitioned every call fails as a connection failure would; PutItem can be made slow. Nothing is
 * faked when connected.
 */
final class PartitionableDynamoDb implements DynamoDbClient {
    private final DynamoDbClient real;
    private volatile boolean partitioned;
    private volatile long putLatencyMillis;

    PartitionableDynamoDb(DynamoDbClient real) {
        this.real = real;
    }

    void partition(boolean cut) {
        partitioned = cut;
    }

    /** Adds latency to every PutItem (lease creation) from now on, as a slow table would. */
    void putLatency(long millis) {
        putLatencyMillis = millis;
    }

    private void check() {
        if (partitioned) {
            throw SdkClientException.create("connection refused (test partition)");
        }
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        check();
        return real.describeTable(request);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        check();
        return real.createTable(request);
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        check();
        return real.scan(request);
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        check();
        return real.getItem(request);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        check();
        if (putLatencyMillis > 0) {
            try {
                Thread.sleep(putLatencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return real.putItem(request);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        check();
        return real.updateItem(request);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        check();
        return real.deleteItem(request);
    }

    @Override
    public String serviceName() {
        return real.serviceName();
    }

    @Override
    public void close() {
        // the shared client belongs to the engines
    }
}
