package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stream of a multi-stream consumer, as the KCL 2.3+ / 3.x identifies it in a lease table:
 * the account, the stream name and the stream's creation time in epoch seconds (a stream deleted
 * and created again under the same name is another stream). Serialized as
 * {@code account:streamName:creationEpoch}, the KCL's form, which prefixes every lease key of the
 * stream ({@link MultiStreamLeaseKey}) and is stored in the lease's {@code streamName} attribute.
 */
public record StreamIdentifier(String accountId, String streamName, long creationEpoch) {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** Kinesis stream names: 1 to 128 of letters, digits, '_', '-' and '.'. */
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    public StreamIdentifier {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(streamName, "streamName");
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("accountId must be 12 digits, was '" + accountId + "'");
        }
        if (!STREAM_NAME.matcher(streamName).matches()) {
            throw new IllegalArgumentException("streamName must be 1 to 128 of [a-zA-Z0-9_.-], was '" + streamName + "'");
        }
        if (creationEpoch < 0) {
            throw new IllegalArgumentException("creationEpoch (epoch seconds) must be >= 0, was " + creationEpoch
                    + " for stream " + streamName);
        }
    }

    /** The KCL's serialized form, {@code account:streamName:creationEpoch}. */
    public String serialize() {
        return accountId + ":" + streamName + ":" + creationEpoch;
    }

    /** Reads the serialized form {@code account:streamName:creationEpoch}. */
    public static StreamIdentifier parse(String serialized) {
        Objects.requireNonNull(serialized, "serialized");
        String[] parts = serialized.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a stream identifier is account:streamName:creationEpoch (3 parts),"
                    + " was '" + serialized + "' (" + parts.length + " parts)");
        }
        return new StreamIdentifier(parts[0], parts[1], epoch(parts[2], serialized));
    }

    /** The identifier of the stream {@code arn:<partition>:kinesis:<region>:<account>:stream/<name>}. */
    public static StreamIdentifier fromArn(String streamArn, long creationEpoch) {
        Objects.requireNonNull(streamArn, "streamArn");
        StreamReference stream = StreamReference.ofArn(streamArn);
        String account = stream.accountId().orElseThrow(() -> new IllegalArgumentException(
                "a stream ARN names its account (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME), was '" + streamArn + "'"));
        return new StreamIdentifier(account, stream.name(), creationEpoch);
    }

    static long epoch(String text, String whole) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the creation epoch of a stream identifier must be a number of"
                    + " seconds, was '" + text + "' in '" + whole + "'");
        }
    }

    @Override
    public String toString() {
        return serialize();
    }
}
