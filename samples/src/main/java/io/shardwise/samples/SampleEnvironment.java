package io.shardwise.samples;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where the samples connect: AWS by default (region and credentials from the SDK's default chains),
 * or the endpoints in {@code SHARDWISE_KINESIS_ENDPOINT} / {@code SHARDWISE_DYNAMODB_ENDPOINT}, as
 * {@code shardwise local} prints them (or LocalStack's {@code http://127.0.0.1:4566}).
 */
record SampleEnvironment(Region region, URI kinesisEndpoint, URI dynamoDbEndpoint) {

    static SampleEnvironment fromEnvironment() {
        return of(System.getenv());
    }

    static SampleEnvironment of(Map<String, String> env) {
        URI kinesis = uri(env.get("SHARDWISE_KINESIS_ENDPOINT"));
        URI dynamo = uri(env.get("SHARDWISE_DYNAMODB_ENDPOINT"));
        Region region;
        try {
            region = new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            if (kinesis == null) {
                throw new IllegalStateException("No AWS region: set AWS_REGION (or a profile's region), or point the"
                        + " sample at local engines with SHARDWISE_KINESIS_ENDPOINT");
            }
            region = Region.US_EAST_1;
        }
        return new SampleEnvironment(region, kinesis, dynamo == null ? kinesis : dynamo);
    }

    String describe() {
        return kinesisEndpoint == null ? "AWS " + region.id() : kinesisEndpoint.toString();
    }

    private static URI uri(String value) {
        return value == null || value.isBlank() ? null : URI.create(value.strip());
    }
}
