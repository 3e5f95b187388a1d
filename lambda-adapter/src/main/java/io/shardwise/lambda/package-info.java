/**
 * Lambda handlers for Kinesis events that understand KPL aggregates.
 *
 * <p>{@link io.shardwise.lambda.KinesisBatchHandler} deaggregates every Kinesis record of an event,
 * hands each user record to your code in order, and answers with a partial batch response
 * ({@code ReportBatchItemFailures}) that Lambda can resume from. {@link
 * io.shardwise.lambda.DynamoDbProgressStore} makes the resume exact inside an aggregate, {@link
 * io.shardwise.lambda.DynamoDbIdempotency} guards side effects, and {@link
 * io.shardwise.lambda.KinesisWindowHandler} does the same for tumbling windows.
 *
 * <p>The package needs only aws-lambda-java-core, aws-lambda-java-events and Shardwise's
 * aggregation format at run time; the DynamoDB client and Jackson are optional.
 */
package io.shardwise.lambda;
