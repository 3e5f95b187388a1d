package io.shardwise.kinesis;

import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

/**
 * Puts a {@link StreamReference} on the SDK's request builders: the ARN when there is one, else the
 * name (never both: Kinesis reads the ARN and a name would add nothing). Needs the Kinesis SDK.
 */
public final class StreamRequests {

    private StreamRequests() {
    }

    public static ListShardsRequest.Builder apply(StreamReference stream, ListShardsRequest.Builder b) {
        return stream.arn() != null ? b.streamARN(stream.arn()) : b.streamName(stream.name());
    }

    public static GetShardIteratorRequest.Builder apply(StreamReference stream, GetShardIteratorRequest.Builder b) {
        return stream.arn() != null ? b.streamARN(stream.arn()) : b.streamName(stream.name());
    }

    public static PutRecordsRequest.Builder apply(StreamReference stream, PutRecordsRequest.Builder b) {
        return stream.arn() != null ? b.streamARN(stream.arn()) : b.streamName(stream.name());
    }

    public static DescribeStreamSummaryRequest.Builder apply(StreamReference stream,
                                                             DescribeStreamSummaryRequest.Builder b) {
        return stream.arn() != null ? b.streamARN(stream.arn()) : b.streamName(stream.name());
    }
}
