package dev.assay.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts drawn as plain markup, so a report needs no script, font or network to display them.
 *
 * <p>Every chart is a {@code <figure>} holding one {@code <svg data-chart="NAME">} with a {@code <title>}, axis
 * labels and the counts written on the marks; a chart without data is a short note in a figure that still carries
 * {@code data-chart} and {@code data-empty="true"}, so a reader (and a test) can tell "not measured" from "missing".
 * Package-private: the report is the only caller, and the shapes here are exactly what it needs.
 */
final class Svg {
  static final String[] PALETTE = {"#3b6fb6", "#d9822b", "#3a9a5b", "#b8415a", "#7a5cb0", "#8c6d3f", "#4aa3b5"};
  private static final int W = 640;
  private static final int H = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 46;
  private static final int BOTTOM = 56;

  private Svg() {}

  /** One named series of values, e.g. one judge's counts per score. */
  record Series(String name, List<Double> values) {
    Series {
      // Not List.copyOf: a null value is a gap in a line (an iteration without a measurement).
      values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }
  }

  /** One point of a scatter plot. */
  record Point(double x, double y) {}

  /** A figure with a chart inside and a caption under it. */
  static String figure(String name, String title, String caption, String svg) {
    return "<figure class=\"chart\">\n" + svg + "\n<figcaption><b>" + Html.esc(title) + ".</b> " + Html.esc(caption)
        + "</figcaption>\n</figure>\n";
  }

  /** The stand-in for a chart the run has no data for. */
  static String empty(String name, String title, String why) {
    return "<figure class=\"chart empty\" data-chart=\"" + Html.esc(name) + "\" data-empty=\"true\">\n<p class=\"note\"><b>"
        + Html.esc(title) + "</b>: not measured in this run (" + Html.esc(why) + ").</p>\n</figure>\n";
  }

  /**
   * Grouped vertical bars: one group per category on the x axis, one bar per series in each group, the count on top
   * of each bar.
   */
  static String bars(
      String name, String title, List<String> categories, List<Series> series, String xLabel, String yLabel,
      boolean integers) {
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    double top = niceTop(max);
    StringBuilder sb = open(name, title, W, H);
    axes(sb, top, xLabel, yLabel, W, H);
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    double group = (double) plotW / Math.max(1, categories.size());
    double bar = Math.max(2, (group * 0.8) / Math.max(1, series.size()));
    for (int c = 0; c < categories.size(); c++) {
      double gx = LEFT + c * group + group * 0.1;
      for (int s = 0; s < series.size(); s++) {
        double v = c < series.get(s).values().size() ? series.get(s).values().get(c) : 0;
        double h = top == 0 ? 0 : plotH * v / top;
        double x = gx + s * bar;
        double y = TOP + plotH - h;
        sb.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
            x, y, bar - 1, h, PALETTE[s % PALETTE.length], Html.esc(series.get(s).name()),
            Html.esc(categories.get(c)), num(v, integers)));
        if (bar >= 14) {
          sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">%s</text>%n",
              x + (bar - 1) / 2, y - 3, num(v, integers)));
        }
      }
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>%n",
          LEFT + c * group + group / 2, H - BOTTOM + 16, Html.esc(categories.get(c))));
    }
    legend(sb, series);
    return sb.append("</svg>").toString();
  }

  /** Horizontal stacked bars, one row per label; each row's segments are the series (e.g. kept, rejected, failed). */
  static String stackedRows(String name, String title, List<String> rows, List<Series> segments, String xLabel) {
    int rowH = 26;
    int left = 190;
    int height = TOP + rows.size() * rowH + 48;
    double max = 0;
    for (int r = 0; r < rows.size(); r++) {
      double total = 0;
      for (Series s : segments) {
        total += s.values().get(r);
      }
      max = Math.max(max, total);
    }
    double top = niceTop(max);
    int plotW = W - left - 190; // room right of the longest bar for its counts
    StringBuilder sb = open(name, title, W, height);
    for (int r = 0; r < rows.size(); r++) {
      double y = TOP + r * rowH;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"rowlabel\">%s</text>%n",
          left - 6, y + rowH / 2.0 + 4, Html.esc(rows.get(r))));
      double x = left;
      double total = 0;
      for (int s = 0; s < segments.size(); s++) {
        double v = segments.get(s).values().get(r);
        total += v;
        double w = top == 0 ? 0 : plotW * v / top;
        sb.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
            x, y + 3, w, rowH - 6, PALETTE[s % PALETTE.length], Html.esc(rows.get(r)),
            Html.esc(segments.get(s).name()), num(v, true)));
        x += w;
      }
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"val start\">%s</text>%n",
          x + 4, y + rowH / 2.0 + 4, Html.esc(rowText(segments, r))));
    }
    double axisY = TOP + rows.size() * rowH + 4;
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"axis\"/>%n",
        left, axisY, left + plotW, axisY));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\">0</text>%n", left, axisY + 14));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>%n",
        left + plotW, axisY + 14, num(top, true)));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"label\">%s</text>%n",
        left + plotW / 2, axisY + 30, Html.esc(xLabel)));
    legend(sb, segments);
    return sb.append("</svg>").toString();
  }

  private static String rowText(List<Series> segments, int r) {
    StringBuilder sb = new StringBuilder();
    for (Series s : segments) {
      double v = s.values().get(r);
      if (v > 0 || sb.length() == 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(s.name()).append(' ').append(num(v, true));
      }
    }
    return sb.toString();
  }

  /** One estimate with its interval, in a group (a row block) and a series (a colour). */
  record Interval(String group, String series, double estimate, double lower, double upper) {}

  /**
   * A forest plot: one row per interval, grouped (the group's name on its first row), a dot at the estimate and a line
   * over the interval, coloured by series (in {@code seriesOrder}), with a dashed line at zero. For estimates that can
   * be negative, which bars cannot show.
   */
  static String intervals(String name, String title, List<Interval> rows, List<String> seriesOrder, String xLabel) {
    int rowH = 14;
    int gap = 8;
    int left = 150;
    int right = 70;
    int width = 720;
    List<String> groups = new ArrayList<>();
    rows.forEach(r -> {
      if (!groups.contains(r.group())) {
        groups.add(r.group());
      }
    });
    // The legend flows over as many lines as the series names need; the plot starts below it.
    List<String> legendItems = new ArrayList<>();
    int legendX = LEFT;
    int legendY = 28;
    for (int i = 0; i < seriesOrder.size(); i++) {
      int itemW = 24 + 7 * seriesOrder.get(i).length();
      if (legendX + itemW > width - 16 && legendX > LEFT) {
        legendX = LEFT;
        legendY += 16;
      }
      legendItems.add(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>",
          legendX, legendY, PALETTE[i % PALETTE.length], legendX + 14, legendY + 9, Html.esc(seriesOrder.get(i))));
      legendX += itemW;
    }
    int top = TOP + (legendY - 28);
    int height = top + rows.size() * rowH + groups.size() * gap + 48;
    double lo = 0;
    double hi = 0;
    for (Interval r : rows) {
      lo = Math.min(lo, Math.min(r.lower(), r.estimate()));
      hi = Math.max(hi, Math.max(r.upper(), r.estimate()));
    }
    double step = niceTop((hi - lo) / 6);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    int plotW = width - left - right;
    double from = lo;
    double span = hi - lo;
    java.util.function.DoubleUnaryOperator x = v -> left + plotW * (v - from) / span;
    StringBuilder sb = open(name, title, width, height);
    double bottom = top + rows.size() * rowH + groups.size() * gap;
    for (int k = 0; lo + k * step <= hi + step / 2; k++) {
      double t = lo + k * step;
      t = Math.abs(t) < step / 1e6 ? 0 : t;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>%n",
          x.applyAsDouble(t), top, x.applyAsDouble(t), bottom));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">%s</text>%n",
          x.applyAsDouble(t), bottom + 14, num(t, t == Math.rint(t))));
    }
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\" stroke-dasharray=\"4 3\"/>%n",
        x.applyAsDouble(0), top, x.applyAsDouble(0), bottom));
    double y = top;
    String group = null;
    for (Interval r : rows) {
      if (!r.group().equals(group)) {
        y += gap;
        group = r.group();
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"rowlabel\">%s</text>%n",
            left - 8, y + rowH / 2.0 + 4, Html.esc(group)));
      }
      String colour = PALETTE[Math.max(0, seriesOrder.indexOf(r.series())) % PALETTE.length];
      double cy = y + rowH / 2.0;
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          x.applyAsDouble(r.lower()), cy, x.applyAsDouble(r.upper()), cy, colour));
      sb.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s, %s: %s [%s, %s]</title></circle>%n",
          x.applyAsDouble(r.estimate()), cy, colour, Html.esc(r.group()), Html.esc(r.series()), num(r.estimate(), false),
          num(r.lower(), false), num(r.upper(), false)));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"val start\">%s</text>%n",
          width - right + 6, cy + 3, String.format(Locale.ROOT, "%+.1f", r.estimate())));
      y += rowH;
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"label\">%s</text>%n",
        left + plotW / 2, bottom + 30, Html.esc(xLabel)));
    sb.append(String.join("\n", legendItems)).append('\n');
    return sb.append("</svg>").toString();
  }

  /** A scatter plot with a fitted least-squares line (the line says "longer answers score higher" at a glance). */
  static String scatter(String name, String title, List<Point> points, String xLabel, String yLabel) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Point p : points) {
      minX = Math.min(minX, p.x());
      maxX = Math.max(maxX, p.x());
      minY = Math.min(minY, p.y());
      maxY = Math.max(maxY, p.y());
    }
    minX = Math.min(0, minX);
    double topX = niceTop(maxX);
    double lowY = Math.floor(minY);
    double topY = Math.max(lowY + 1, Math.ceil(maxY));
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    StringBuilder sb = open(name, title, W, H);
    frame(sb, xLabel, yLabel, W, H);
    for (int i = 0; i <= 4; i++) {
      double yv = lowY + (topY - lowY) * i / 4;
      double y = TOP + plotH - plotH * i / 4.0;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick end\">%s</text>%n",
          LEFT - 6, y + 4, num(yv, false)));
      double xv = minX + (topX - minX) * i / 4;
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>%n",
          LEFT + plotW * i / 4.0, H - BOTTOM + 16, num(xv, true)));
    }
    double spanX = topX - minX == 0 ? 1 : topX - minX;
    for (Point p : points) {
      double x = LEFT + plotW * (p.x() - minX) / spanX;
      double y = TOP + plotH - plotH * (p.y() - lowY) / (topY - lowY);
      sb.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" fill-opacity=\"0.55\"/>%n", x, y, PALETTE[0]));
    }
    double[] fit = leastSquares(points);
    if (fit != null) {
      double y0 = fit[0] + fit[1] * minX;
      double y1 = fit[0] + fit[1] * topX;
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"><title>least squares: %s + %s"
              + " per word</title></line>%n",
          LEFT, clampY(TOP + plotH - plotH * (y0 - lowY) / (topY - lowY)), LEFT + plotW,
          clampY(TOP + plotH - plotH * (y1 - lowY) / (topY - lowY)), PALETTE[1], num(fit[0], false),
          String.format(Locale.ROOT, "%.4f", fit[1])));
    }
    return sb.append("</svg>").toString();
  }

  private static double clampY(double y) {
    return Math.max(TOP, Math.min(H - BOTTOM, y));
  }

  /** Intercept and slope, or null when x does not vary. */
  static double[] leastSquares(List<Point> points) {
    int n = points.size();
    if (n < 2) {
      return null;
    }
    double mx = 0;
    double my = 0;
    for (Point p : points) {
      mx += p.x();
      my += p.y();
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (Point p : points) {
      sxy += (p.x() - mx) * (p.y() - my);
      sxx += (p.x() - mx) * (p.x() - mx);
    }
    if (sxx == 0) {
      return null;
    }
    double slope = sxy / sxx;
    return new double[] {my - slope * mx, slope};
  }

  /**
   * Lines over a shared x axis (e.g. iterations); a null value is a gap. {@code yMax} fixes the top of the axis
   * (e.g. 1 for C), or NaN to fit the data.
   */
  static String lines(
      String name, String title, List<String> xs, List<Series> series, String xLabel, String yLabel, double yMax) {
    double max = 0;
    for (Series s : series) {
      for (Double v : s.values()) {
        if (v != null && !v.isNaN()) {
          max = Math.max(max, v);
        }
      }
    }
    double top = Double.isNaN(yMax) ? niceTop(max) : yMax;
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    StringBuilder sb = open(name, title, W, H);
    axes(sb, top, xLabel, yLabel, W, H);
    double step = xs.size() <= 1 ? 0 : (double) plotW * 0.9 / (xs.size() - 1);
    double x0 = LEFT + (xs.size() <= 1 ? plotW / 2.0 : plotW * 0.05);
    for (int i = 0; i < xs.size(); i++) {
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>%n",
          x0 + i * step, H - BOTTOM + 16, Html.esc(xs.get(i))));
    }
    for (int s = 0; s < series.size(); s++) {
      List<Double> values = series.get(s).values();
      StringBuilder path = new StringBuilder();
      String color = PALETTE[s % PALETTE.length];
      for (int i = 0; i < values.size(); i++) {
        Double v = values.get(i);
        if (v == null || v.isNaN()) {
          continue;
        }
        double x = x0 + i * step;
        double y = TOP + plotH - (top == 0 ? 0 : plotH * v / top);
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        sb.append(String.format(Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s %s: %s</title></circle>%n", x, y, color,
            Html.esc(series.get(s).name()), Html.esc(xs.get(i)), num(v, false)));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">%s</text>%n", x, y - 7,
            num(v, false)));
      }
      if (path.length() > 0) {
        sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color)
            .append("\" stroke-width=\"2\"/>\n");
      }
    }
    legend(sb, series);
    return sb.append("</svg>").toString();
  }

  /**
   * A heat map: a square matrix of values in [0, 1] (NaN = no data), each cell coloured by its value and labelled with
   * its text.
   */
  static String heatMap(String name, String title, List<String> labels, double[][] values, String[][] texts) {
    int n = labels.size();
    int cell = Math.max(54, Math.min(90, 420 / Math.max(1, n)));
    int left = 170;
    int top = TOP + 10;
    int width = Math.max(W, left + n * cell + 20);
    int height = top + n * cell + 130;
    StringBuilder sb = open(name, title, width, height);
    for (int i = 0; i < n; i++) {
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"rowlabel\">%s</text>%n",
          left - 6, top + i * cell + cell / 2 + 4, Html.esc(labels.get(i))));
      int cx = left + i * cell + cell / 2;
      int cy = top + n * cell + 10;
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" class=\"tick start\" transform=\"rotate(35 %d %d)\">%s</text>%n", cx, cy, cx, cy,
          Html.esc(labels.get(i))));
      for (int j = 0; j < n; j++) {
        double v = values[i][j];
        String fill = Double.isNaN(v) ? "#eeeeee" : heat(v);
        sb.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\"><title>%s vs %s: %s</title>"
                + "</rect>%n",
            left + j * cell, top + i * cell, cell, cell, fill, Html.esc(labels.get(i)), Html.esc(labels.get(j)),
            Html.esc(texts[i][j])));
        String[] parts = texts[i][j].split("\n");
        for (int k = 0; k < parts.length; k++) {
          sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"cell%s\">%s</text>%n",
              left + j * cell + cell / 2, top + i * cell + cell / 2 - 6 * (parts.length - 1) + 12 * k + 4,
              !Double.isNaN(v) && v > 0.6 ? " light" : "", Html.esc(parts[k])));
        }
      }
    }
    return sb.append("</svg>").toString();
  }

  /** White to dark blue over [0, 1]. */
  private static String heat(double v) {
    double t = Math.max(0, Math.min(1, v));
    int r = (int) Math.round(247 - t * (247 - 33));
    int g = (int) Math.round(251 - t * (251 - 84));
    int b = (int) Math.round(255 - t * (255 - 160));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private static StringBuilder open(String name, String title, int width, int height) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg data-chart=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
            + " role=\"img\" aria-label=\"%s\">%n<title>%s</title>%n",
        Html.esc(name), width, height, width, height, Html.esc(title), Html.esc(title)));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" class=\"ctitle\">%s</text>%n", width / 2,
        Html.esc(title)));
    return sb;
  }

  private static void frame(StringBuilder sb, String xLabel, String yLabel, int width, int height) {
    int bottom = height - BOTTOM;
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>%n", LEFT,
        bottom, width - RIGHT, bottom));
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>%n", LEFT,
        TOP, LEFT, bottom));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"label\">%s</text>%n",
        LEFT + (width - LEFT - RIGHT) / 2, height - 22, Html.esc(xLabel)));
    int cy = TOP + (bottom - TOP) / 2;
    sb.append(String.format(Locale.ROOT,
        "<text x=\"16\" y=\"%d\" class=\"label\" transform=\"rotate(-90 16 %d)\">%s</text>%n", cy, cy,
        Html.esc(yLabel)));
  }

  private static void axes(StringBuilder sb, double top, String xLabel, String yLabel, int width, int height) {
    frame(sb, xLabel, yLabel, width, height);
    int plotH = height - TOP - BOTTOM;
    // 2 splits into quarters, 1, 2.5 and 5 into fifths: every tick is then a round number (no "18.8" or "7.50").
    double mantissa = top / Math.pow(10, Math.floor(Math.log10(top)));
    int divisions = Math.abs(mantissa - 2) < 1e-9 ? 4 : 5;
    for (int i = 0; i <= divisions; i++) {
      double y = TOP + plotH - plotH * (double) i / divisions;
      double v = top * i / divisions;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>%n",
          LEFT, y, width - RIGHT, y));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick end\">%s</text>%n", LEFT - 6,
          y + 4, num(v, v == Math.rint(v))));
    }
  }

  private static void legend(StringBuilder sb, List<Series> series) {
    if (series.size() < 2) {
      return;
    }
    List<String> items = new ArrayList<>();
    int x = LEFT;
    for (int s = 0; s < series.size(); s++) {
      items.add(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"28\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"37\" class=\"legend\">%s"
              + "</text>",
          x, PALETTE[s % PALETTE.length], x + 14, Html.esc(series.get(s).name())));
      x += 24 + 7 * series.get(s).name().length();
    }
    sb.append(String.join("\n", items)).append('\n');
  }

  /** A round number at or above {@code max} for the top of an axis. */
  static double niceTop(double max) {
    if (!(max > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= max) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String num(double v, boolean integer) {
    if (integer || v == Math.rint(v) && Math.abs(v) >= 1) {
      return String.format(Locale.ROOT, "%d", Math.round(v));
    }
    return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
  }
}
