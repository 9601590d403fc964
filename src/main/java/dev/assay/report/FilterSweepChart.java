package dev.assay.report;

import java.util.List;

/**
 * The chart of {@code ./assay bench filters}: each filter's gain in truly-better rate over its input, with its 95%
 * interval, per simulator setting, as one stand-alone SVG file (its styles inside, no script, no request), drawn from
 * the committed figures so that CI can render it again and compare byte for byte. Deterministic for the same points.
 */
public final class FilterSweepChart {
  private FilterSweepChart() {}

  /**
   * One filter under one setting: its gain and interval, in points.
   *
   * @param setting the simulator setting's name
   * @param filter the filter's name
   * @param estimate the gain
   * @param lower the interval's lower bound
   * @param upper its upper bound
   */
  public record Point(String setting, String filter, double estimate, double lower, double upper) {}

  /**
   * The SVG document.
   *
   * @param points in drawing order: settings as blocks of rows, each filter a colour
   * @param filters the filters in legend order
   */
  public static String svg(String title, String xLabel, List<Point> points, List<String> filters) {
    List<Svg.Interval> rows = points.stream()
        .map(p -> new Svg.Interval(p.setting(), p.filter(), p.estimate(), p.lower(), p.upper()))
        .toList();
    String chart = Svg.intervals("filter-sweep", title, rows, filters, xLabel);
    // A file of its own needs the SVG namespace and the report page's chart styles inside it.
    chart = chart.replaceFirst("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
    int afterTitle = chart.indexOf("</title>") + "</title>".length();
    return chart.substring(0, afterTitle) + "\n<style>\n" + Html.svgCss() + "</style>" + chart.substring(afterTitle) + "\n";
  }
}
