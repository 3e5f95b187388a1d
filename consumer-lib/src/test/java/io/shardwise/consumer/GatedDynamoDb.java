package io.shardwise.consumer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
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
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * DynamoDB Local behind test switches on UpdateItem: a gate that holds chosen writes until opened (a
 * write in flight), a failure switch (an unreachable table), throttling as DynamoDB answers it, and
 * answers lost after the write landed (a client timeout). Everything else is the real engine.
 */
final class GatedDynamoDb implements DynamoDbClient {
    private final DynamoDbClient real;
    private volatile Predicate<UpdateItemRequest> held = r -> false;
    private volatile Predicate<UpdateItemRequest> failing = r -> false;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger throttlesLeft = new AtomicInteger();
    private volatile Predicate<UpdateItemRequest> throttled = r -> false;
    private final AtomicInteger throttledCalls = new AtomicInteger();
    private final CountDownLatch holding = new CountDownLatch(1);

    GatedDynamoDb(DynamoDbClient real) {
        this.real = real;
    }

    /** Holds the matching updates from now until {@link #open()}. */
    void hold(Predicate<UpdateItemRequest> which) {
        gate = new CountDownLatch(1);
        held = which;
    }

    void open() {
        held = r -> false;
        gate.countDown();
    }

    /** True once a held update waits at the gate. */
    boolean awaitHolding(long seconds) throws InterruptedException {
        return holding.await(seconds, TimeUnit.SECONDS);
    }

    /** Fails the matching updates as a lost connection would. */
    void fail(Predicate<UpdateItemRequest> which) {
        failing = which;
    }

    /** Answers the next {@code times} matching updates as DynamoDB answers a throttled request. */
    void throttle(Predicate<UpdateItemRequest> which, int times) {
        throttlesLeft.set(times);
        throttled = which;
    }

    private final AtomicInteger lostAnswersLeft = new AtomicInteger();
    private volatile Predicate<UpdateItemRequest> answerLost = r -> false;

    /** The next {@code times} matching updates land, but their answers are lost (a client timeout). */
    void loseAnswers(Predicate<UpdateItemRequest> which, int times) {
        lostAnswersLeft.set(times);
        answerLost = which;
    }

    int throttledCalls() {
        return throttledCalls.get();
    }

    static Predicate<UpdateItemRequest> item(String leaseKey) {
        return r -> r.key().containsKey(LeaseSchema.LEASE_KEY) && leaseKey.equals(r.key().get(LeaseSchema.LEASE_KEY).s());
    }

    static Predicate<UpdateItemRequest> worker(String workerId) {
        return r -> r.key().containsKey(WorkerSchema.WORKER_ID) && workerId.equals(r.key().get(WorkerSchema.WORKER_ID).s());
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        if (failing.test(request)) {
            throw SdkClientException.create("connection refused (test)");
        }
        if (throttled.test(request) && throttlesLeft.getAndDecrement() > 0) {
            throttledCalls.incrementAndGet();
            throw ProvisionedThroughputExceededException.builder()
                    .message("The level of configured provisioned throughput for the table was exceeded (test)")
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ProvisionedThroughputExceededException").serviceName("DynamoDb").build())
                    .statusCode(400).build();
        }
        if (held.test(request)) {
            holding.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkClientException.create("interrupted at the test gate");
            }
        }
        UpdateItemResponse response = real.updateItem(request);
        if (answerLost.test(request) && lostAnswersLeft.getAndDecrement() > 0) {
            throw ApiCallAttemptTimeoutException.create(5_000);
        }
        return response;
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return real.describeTable(request);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return real.createTable(request);
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        return real.scan(request);
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return real.getItem(request);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return real.putItem(request);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return real.deleteItem(request);
    }

    @Override
    public String serviceName() {
        return real.serviceName();
    }

    @Override
    public void close() {
    }
}
