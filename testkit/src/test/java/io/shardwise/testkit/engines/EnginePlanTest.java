package io.shardwise.testkit.engines;

import static io.shardwise.testkit.engines.EnginePlan.Source.EMBEDDED;
import static io.shardwise.testkit.engines.EnginePlan.Source.EXTERNAL;
import static io.shardwise.testkit.engines.EnginePlan.Source.LOCALSTACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class EnginePlanTest {

    private final AtomicInteger dockerProbes = new AtomicInteger();

    private BooleanSupplier docker(boolean answers) {
        return () -> {
            dockerProbes.incrementAndGet();
            return answers;
        };
    }

    @Test
    void endpointsFromTheEnvironmentComeFirstAndDockerIsNotAsked() {
        Map<String, String> env = Map.of(EnginePlan.KINESIS_ENDPOINT_VARIABLE, "http://127.0.0.1:4566",
                EnginePlan.DYNAMODB_ENDPOINT_VARIABLE, "http://127.0.0.1:4566");

        assertThat(EnginePlan.choose(env, docker(true))).isEqualTo(new EnginePlan(EXTERNAL, EXTERNAL));
        assertThat(dockerProbes).hasValue(0);
    }

    @Test
    void localStackWhenDockerAnswers() {
        EnginePlan plan = EnginePlan.choose(Map.of(), docker(true));

        assertThat(plan).isEqualTo(new EnginePlan(LOCALSTACK, LOCALSTACK));
        assertThat(plan.needsLocalStack()).isTrue();
    }

    @Test
    void embeddedEnginesWithoutDocker() {
        EnginePlan plan = EnginePlan.choose(Map.of(), docker(false));

        assertThat(plan).isEqualTo(new EnginePlan(EMBEDDED, EMBEDDED));
        assertThat(plan.needsLocalStack()).isFalse();
    }

    @Test
    void anEngineNotGivenFallsBackOnItsOwn() {
        Map<String, String> env = Map.of(EnginePlan.KINESIS_ENDPOINT_VARIABLE, "http://127.0.0.1:4566");

        assertThat(EnginePlan.choose(env, docker(false))).isEqualTo(new EnginePlan(EXTERNAL, EMBEDDED));
        assertThat(EnginePlan.choose(Map.of(EnginePlan.DYNAMODB_ENDPOINT_VARIABLE, "http://h:8000"), docker(true)))
                .isEqualTo(new EnginePlan(LOCALSTACK, EXTERNAL));
    }

    @Test
    void blankVariablesCountAsUnset() {
        Map<String, String> env = Map.of(EnginePlan.KINESIS_ENDPOINT_VARIABLE, " ",
                EnginePlan.DYNAMODB_ENDPOINT_VARIABLE, "");

        assertThat(EnginePlan.choose(env, docker(false))).isEqualTo(new EnginePlan(EMBEDDED, EMBEDDED));
    }

    @Test
    void localStackCanBeTurnedOffWithoutAskingDocker() {
        EnginePlan plan = EnginePlan.choose(Map.of(EnginePlan.LOCALSTACK_VARIABLE, "false"), docker(true));

        assertThat(plan).isEqualTo(new EnginePlan(EMBEDDED, EMBEDDED));
        assertThat(dockerProbes).hasValue(0);
    }

    @Test
    void readsAnEndpointAndRejectsOneThatIsNotAnHttpUri() {
        assertThat(EnginePlan.endpointFrom(Map.of("V", " http://127.0.0.1:4566 "), "V"))
                .isEqualTo(URI.create("http://127.0.0.1:4566"));
        for (String bad : new String[] {"localhost:4566", "127.0.0.1", "ftp://h:1", "http://", "not a uri"}) {
            assertThatThrownBy(() -> EnginePlan.endpointFrom(Map.of("V", bad), "V"))
                    .isInstanceOf(LocalEngineException.class)
                    .hasMessageStartingWith("V is '" + bad + "', not an http or https endpoint");
        }
    }
}
