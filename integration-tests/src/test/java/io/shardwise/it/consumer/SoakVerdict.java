package io.shardwise.it.consumer;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What {@link SoakHistoryChecker} found: the violations (none for a good history) and the figures. */
record SoakVerdict(List<SoakViolation> violations, SoakFigures figures) {

    SoakVerdict {
        violations = List.copyOf(violations);
    }

    boolean passed() {
        return violations.isEmpty();
    }

    Map<SoakViolation.Rule, Long> violationsByRule() {
        Map<SoakViolation.Rule, Long> counts = new EnumMap<>(SoakViolation.Rule.class);
        violations.forEach(v -> counts.merge(v.rule(), 1L, Long::sum));
        return counts;
    }

    /** The figures, the violations per rule, and the first {@code most} violations of each rule. */
    String report(int most) {
        StringBuilder text = new StringBuilder("figures: ").append(figures).append('\n');
        text.append("violations: ").append(violations.isEmpty() ? "none" : violationsByRule()).append('\n');
        Map<SoakViolation.Rule, Integer> shown = new EnumMap<>(SoakViolation.Rule.class);
        for (SoakViolation v : violations) {
            if (shown.merge(v.rule(), 1, Integer::sum) <= most) {
                text.append("  ").append(v).append('\n');
            }
        }
        return text.toString();
    }
}
