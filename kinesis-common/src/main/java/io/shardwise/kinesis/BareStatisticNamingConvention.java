package io.shardwise.kinesis;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;

/**
 * A naming convention for a CloudWatch registry ({@code micrometer-registry-cloudwatch2}) that publishes
 * meters named in the KPL's and the KCL's style (no dot) under their bare names. That registry publishes
 * each meter as several metrics named with a suffix: a counter as {@code Name.count}, a gauge as
 * {@code Name.value}, a timer or summary as {@code .sum}, {@code .count}, {@code .avg} and {@code .max}.
 * This convention drops the suffix of a counter and a gauge, gives a size (a summary in bytes) its total
 * under the bare name, and gives a time or any other summary its average; their other statistics keep
 * their suffixes. Every other name and every tag goes through {@code delegate} unchanged. The producer's
 * {@code KplNamingConvention} and the consumer's {@code KclNamingConvention} are this rule. Needs
 * micrometer-core.
 */
public class BareStatisticNamingConvention implements NamingConvention {
    private final NamingConvention delegate;

    /** @param delegate the convention for every other meter name and for tag keys and values */
    public BareStatisticNamingConvention(NamingConvention delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name(String name, Meter.Type type, String baseUnit) {
        int dot = name.indexOf('.');
        if (dot < 0 || dot != name.lastIndexOf('.')) {
            return delegate.name(name, type, baseUnit);
        }
        String bare = name.substring(0, dot);
        String suffix = name.substring(dot + 1);
        boolean keepsBareName = switch (type) {
            case COUNTER -> suffix.equals("count");
            case GAUGE -> suffix.equals("value");
            case DISTRIBUTION_SUMMARY -> suffix.equals("bytes".equals(baseUnit) ? "sum" : "avg");
            case TIMER -> suffix.equals("avg");
            default -> false;
        };
        return keepsBareName ? bare : name;
    }

    @Override
    public String tagKey(String key) {
        return delegate.tagKey(key);
    }

    @Override
    public String tagValue(String value) {
        return delegate.tagValue(value);
    }
}
