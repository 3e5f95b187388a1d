package io.shardwise.consumer;

import io.micrometer.core.instrument.config.NamingConvention;
import io.shardwise.kinesis.BareStatisticNamingConvention;

/**
 * A naming convention for a CloudWatch registry ({@code micrometer-registry-cloudwatch2}) that publishes
 * KCL-named meters under the KCL's bare names. That registry publishes each meter as several metrics
 * named with a suffix: a counter as {@code RecordsProcessed.count}, a gauge as {@code CurrentLeases.value},
 * a timer or summary as {@code .sum}, {@code .count}, {@code .avg} and {@code .max}. This convention drops
 * the suffix of a counter and a gauge, gives a size (a summary in bytes) its total under the bare name
 * ({@code DataBytesProcessed} is the bytes processed, in Bytes), and gives a time or any other summary
 * its average ({@code MillisBehindLatest} is the average, in Milliseconds); their other statistics keep
 * their suffixes ({@code MillisBehindLatest.max}). It applies only to names without a dot (the KCL's
 * style); every other name and every tag goes through {@code delegate} unchanged.
 *
 * <pre>{@code
 * cloudWatch.config().namingConvention(new KclNamingConvention(NamingConvention.identity));
 * }</pre>
 */
public final class KclNamingConvention extends BareStatisticNamingConvention {

    /** @param delegate the convention for every other meter name and for tag keys and values */
    public KclNamingConvention(NamingConvention delegate) {
        super(delegate);
    }
}
