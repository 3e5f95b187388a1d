package io.shardwise.producer;

import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

/** The stream, named either by name or by ARN (an ARN also names the account and region). */
record StreamId(String name, String arn) {
    static StreamId parse(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isBlank()) {
            throw new IllegalArgumentException("stream name or ARN is missing; pass e.g. \"orders\" or "
                    + "\"arn:aws:kinesis:us-east-1:123456789012:stream/orders\"");
        }
        if (nameOrArn.startsWith("arn:")) {
            int slash = nameOrArn.lastIndexOf("/");
            if (slash < 0 || !nameOrArn.contains(":stream/")) {
                throw new IllegalArgumentException("'" + nameOrArn + "' is not a Kinesis stream ARN "
                        + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
            }
            return new StreamId(nameOrArn.substring(slash + 1), nameOrArn);
        }
        return new StreamId(nameOrArn, null);
    }

    ListShardsRequest.Builder apply(ListShardsRequest.Builder builder) {
        return arn != null ? builder.streamARN(arn) : builder.streamName(name);
    }

    PutRecordsRequest.Builder apply(PutRecordsRequest.Builder builder) {
        return arn != null ? builder.streamARN(arn) : builder.streamName(name);
    }

    @Override
    public String toString() {
        return arn != null ? arn : name;
    }
}
