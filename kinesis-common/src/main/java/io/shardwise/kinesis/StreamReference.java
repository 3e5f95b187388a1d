package io.shardwise.kinesis;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stream a client talks to, named by name or by ARN, as a user gives it. Requests carry the ARN
 * when there is one (it also names the account and the region, so a stream of another account can
 * be read), else the name. {@link StreamRequests} applies a reference to the SDK's request builders.
 *
 * @param name the stream name; always set (taken from the ARN when only the ARN was given)
 * @param arn the stream ARN, {@code arn:<partition>:kinesis:<region>:<account>:stream/<name>}, or null
 */
public record StreamReference(String name, String arn) {

    private static final Pattern ARN = Pattern.compile("arn:([^:]+):kinesis:([^:]*):([^:]*):stream/([^/]+)");

    public StreamReference {
        if (arn != null) {
            Matcher m = parseArn(arn);
            if (name == null) {
                name = m.group(4);
            } else if (!name.equals(m.group(4))) {
                throw new IllegalArgumentException("stream name '" + name + "' does not match the name in its ARN '"
                        + arn + "'");
            }
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("stream name or ARN is missing; pass e.g. \"orders\" or "
                    + "\"arn:aws:kinesis:us-east-1:123456789012:stream/orders\"");
        }
    }

    /** A stream named by its name or, when the text starts with {@code arn:}, by its ARN. */
    public static StreamReference parse(String nameOrArn) {
        if (nameOrArn != null && nameOrArn.startsWith("arn:")) {
            return new StreamReference(null, nameOrArn);
        }
        return new StreamReference(nameOrArn, null);
    }

    /** A stream named by its name only. */
    public static StreamReference ofName(String name) {
        return new StreamReference(name, null);
    }

    /** A stream named by its ARN. */
    public static StreamReference ofArn(String arn) {
        if (arn == null) {
            throw new IllegalArgumentException("stream ARN is missing");
        }
        return new StreamReference(null, arn);
    }

    /** The region of the ARN, when the stream was named by ARN. */
    public Optional<String> region() {
        return arn == null ? Optional.empty() : Optional.of(parseArn(arn).group(2)).filter(r -> !r.isEmpty());
    }

    /** The account of the ARN, when the stream was named by ARN. */
    public Optional<String> accountId() {
        return arn == null ? Optional.empty() : Optional.of(parseArn(arn).group(3)).filter(a -> !a.isEmpty());
    }

    /** The ARN when there is one, else the name: how logs and errors name the stream. */
    public String label() {
        return arn != null ? arn : name;
    }

    @Override
    public String toString() {
        return label();
    }

    private static Matcher parseArn(String arn) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + arn + "' is not a Kinesis stream ARN "
                    + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
        }
        return m;
    }
}
