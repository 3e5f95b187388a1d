package io.shardwise.benchmarks.fleet;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Projects a consumer's lease-table cost to a larger fleet. Each (table, operation) kind's read and
 * write units per second are modelled as {@code c * f(N, W)}, with f picked a priori from what the
 * call does:
 * <ul>
 *   <li>Scan or Query of the lease table: {@code N * W} (each worker reads every lease on a timer);</li>
 *   <li>Scan or Query of another table (liveness, metrics): {@code W * W} (each worker reads every worker's item);</li>
 *   <li>an item call on the lease table: {@code N} (renewals, checkpoints: per lease);</li>
 *   <li>an item call on another table, or a control-plane call: {@code W} (heartbeats, metrics: per worker).</li>
 * </ul>
 * With two measured points, c is fitted on the smaller one and checked on the larger one (the
 * predicted/measured ratio is printed); when the check misses by more than 1.5x, the form among
 * {@code 1, N, W, N*W, W*W} that predicts the larger point best is used instead and marked "fitted".
 * Two projections are printed: the a priori form with c from the smallest point (right when the larger
 * point was held back by the simulator itself, e.g. DynamoDB Local saturated so that scans ran less
 * often than the consumer asks), and the form used with c from the largest point.
 */
final class CostModel {
    enum Form {
        ONE("1"), N("N"), W("W"), NW("N*W"), WW("W*W");

        final String label;

        Form(String label) {
            this.label = label;
        }

        double at(int n, int w) {
            return switch (this) {
                case ONE -> 1;
                case N -> n;
                case W -> w;
                case NW -> (double) n * w;
                case WW -> (double) w * w;
            };
        }
    }

    private CostModel() {
    }

    static Form apriori(String kind) {
        boolean lease = kind.startsWith("lease table ");
        boolean read = kind.endsWith(" Scan") || kind.endsWith(" Query");
        boolean item = kind.endsWith("Item") || kind.endsWith("Items");
        if (read) {
            return lease ? Form.NW : Form.WW;
        }
        return lease && item ? Form.N : Form.W;
    }

    /** Prints the model of one consumer and returns its projected {read, write} units/s at (n, w). */
    static double[] print(PrintStream out, String consumer, List<PointResult> points, int n, int w) {
        PointResult first = points.get(0);
        PointResult last = points.get(points.size() - 1);
        TreeSet<String> kinds = new TreeSet<>();
        points.forEach(p -> kinds.addAll(p.kinds().keySet()));
        out.printf(Locale.ROOT, "%nCost model, %s: units/s = c x f(N, W); projection to (%,d shards, %d workers)%n%n",
                consumer, n, w);
        out.println("| kind | units | measured " + scale(first) + (points.size() > 1 ? " | measured " + scale(last)
                + " | form (a priori) | predicted/measured at " + scale(last) : "") + " | form used | c | projected |"
                + " projected, a priori form, c from " + scale(first) + " |");
        out.println("|---|---|---:|" + (points.size() > 1 ? "---:|---|---:|" : "") + "---|---:|---:|---:|");
        double[] total = new double[4];
        for (String kind : kinds) {
            for (int unit = 0; unit < 2; unit++) {
                ToDoubleFunction<PointResult.KindRates> get = unit == 0 ? PointResult.KindRates::readUnits
                        : PointResult.KindRates::writeUnits;
                double a = value(first, kind, get);
                double b = value(last, kind, get);
                if (a == 0 && b == 0) {
                    continue;
                }
                Form form = apriori(kind);
                String check = "";
                String used = form.label;
                if (points.size() > 1) {
                    double ratio = predict(a, first, last, form) / b;
                    check = b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
                    if (a > 0 && b > 0 && (ratio > 1.5 || ratio < 1 / 1.5)) {
                        Form best = form;
                        for (Form f : Form.values()) {
                            if (Math.abs(Math.log(predict(a, first, last, f) / b))
                                    < Math.abs(Math.log(predict(a, first, last, best) / b))) {
                                best = f;
                            }
                        }
                        form = best;
                        used = best.label + " (fitted)";
                    }
                }
                double c = b / form.at(last.shards(), last.workers());
                double projected = c * form.at(n, w);
                double fromFirst = a / apriori(kind).at(first.shards(), first.workers()) * apriori(kind).at(n, w);
                total[unit] += projected;
                total[2 + unit] += fromFirst;
                out.printf(Locale.ROOT, "| %s | %s | %.2f%s | %s | %.3g | %.1f | %.1f |%n", kind, unit == 0 ? "read" : "write",
                        a, points.size() > 1 ? String.format(Locale.ROOT, " | %.2f | %s | %s", b, apriori(kind).label, check)
                                : "", used, c, projected, fromFirst);
            }
        }
        out.printf(Locale.ROOT, "%nProjected %s at (%,d, %d), forms used, c from %s: %.0f read units/s, %.0f write units/s, "
                + "USD %,.0f per month%n", consumer, n, w, scale(last), total[0], total[1],
                Pricing.dollarsPerMonth(total[0], total[1]));
        out.printf(Locale.ROOT, "Projected %s at (%,d, %d), a priori forms, c from %s: %.0f read units/s, %.0f write units/s, "
                + "USD %,.0f per month%n", consumer, n, w, scale(first), total[2], total[3],
                Pricing.dollarsPerMonth(total[2], total[3]));
        return total;
    }

    private static String scale(PointResult p) {
        return "(" + p.shards() + ", " + p.workers() + ")";
    }

    private static double predict(double measured, PointResult from, PointResult to, Form form) {
        return measured * form.at(to.shards(), to.workers()) / form.at(from.shards(), from.workers());
    }

    private static double value(PointResult p, String kind, ToDoubleFunction<PointResult.KindRates> get) {
        Map<String, PointResult.KindRates> kinds = p.kinds();
        PointResult.KindRates rates = kinds.get(kind);
        return rates == null ? 0 : get.applyAsDouble(rates);
    }
}
