package dev.assay.report;

import java.util.List;

/** HTML text helpers for the report: escaping and simple tables. */
final class Html {
  private Html() {}

  /** Escapes text for element content and double-quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A table; cells are escaped, numeric-looking cells are right-aligned. */
  static String table(String dataTable, List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder("<table data-table=\"").append(esc(dataTable)).append("\">\n<thead><tr>");
    for (String h : header) {
      sb.append("<th>").append(esc(h)).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      sb.append("<tr>");
      for (String cell : row) {
        boolean numeric = cell != null && cell.matches("-?[0-9][0-9.,]*%?");
        sb.append(numeric ? "<td class=\"num\">" : "<td>").append(esc(cell)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    return sb.append("</tbody>\n</table>\n").toString();
  }

  /** The page's rules for charts only (those starting {@code svg}), for an SVG file that stands alone. */
  static String svgCss() {
    StringBuilder sb = new StringBuilder();
    for (String line : CSS.split("\n")) {
      if (line.startsWith("svg ")) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }

  /** The page around the body: inline CSS only, so the file opens from disk without any request. */
  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title)
        + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
  }

  // System font stacks only: a web font would be a network request or a large inline blob.
  private static final String CSS =
      """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 24px auto;
             max-width: 1100px; color: #1d2733; background: #ffffff; line-height: 1.45; padding: 0 16px; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; }
      h2 { font-size: 1.25em; border-bottom: 1px solid #d5dbe3; padding-bottom: 4px; margin-top: 2em; }
      h3 { font-size: 1.05em; }
      .meta { color: #55606e; font-size: 0.92em; }
      .grid2 { display: flex; flex-wrap: wrap; gap: 16px; }
      figure.chart { margin: 12px 0; padding: 8px; border: 1px solid #e3e7ed; border-radius: 6px; background: #fcfdfe;
                     max-width: 100%; overflow-x: auto; }
      figure.chart svg { max-width: 100%; height: auto; display: block; }
      figure.empty { background: #f7f7f7; }
      figcaption { font-size: 0.88em; color: #3c4652; margin-top: 4px; max-width: 640px; }
      p.note { color: #6b4e00; background: #fff8e1; padding: 6px 10px; border-radius: 4px; margin: 0; }
      table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; }
      th, td { border: 1px solid #d5dbe3; padding: 4px 8px; text-align: left; vertical-align: top; }
      th { background: #eef2f7; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      tr.bad td { background: #fde8e8; }
      ul.notes li { margin: 2px 0; }
      svg text { font-family: system-ui, "DejaVu Sans", sans-serif; fill: #1d2733; }
      svg .ctitle { font-size: 14px; font-weight: 600; text-anchor: middle; }
      svg .tick { font-size: 11px; text-anchor: middle; fill: #444c56; }
      svg .tick.end { text-anchor: end; }
      svg .tick.start { text-anchor: start; }
      svg .val { font-size: 10px; text-anchor: middle; fill: #222; }
      svg .val.start { text-anchor: start; }
      svg .label { font-size: 12px; text-anchor: middle; fill: #333; }
      svg .legend { font-size: 11px; }
      svg .rowlabel { font-size: 12px; text-anchor: end; }
      svg .cell { font-size: 11px; text-anchor: middle; }
      svg .cell.light { fill: #ffffff; }
      svg .axis { stroke: #555; stroke-width: 1; }
      svg .grid { stroke: #e6e9ee; stroke-width: 1; }
      """;
}
