package dev.assay.pipeline.recipe;

import dev.assay.config.ConfigNode;
import dev.assay.config.ConfigProblem;
import dev.assay.config.Suggestions;
import dev.assay.config.ConfigNode.ListNode;
import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.ScalarNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that bind cannot see: references between parts of the recipe, and files it names.
 *
 * <p>Runs on the expanded tree rather than the bound {@link Recipe}, so a recipe that failed to bind (a typo in an
 * endpoint) still gets its references and files checked in the same pass, with each problem on its line. Values of
 * the wrong type are skipped here: binding reports them.
 */
final class CrossChecks {
  private final Path base;
  private final Set<ConfigNode> skip;
  private final List<ConfigProblem> problems;

  private CrossChecks(Path base, Set<ConfigNode> skip, List<ConfigProblem> problems) {
    this.base = base;
    this.skip = skip;
    this.problems = problems;
  }

  /**
   * @param base the recipe's folder as the user named it, so messages show paths the user recognises
   * @param skip nodes already reported (failed interpolation)
   */
  static void check(MapNode root, Path base, Set<ConfigNode> skip, List<ConfigProblem> problems) {
    new CrossChecks(base, skip, problems).run(root);
  }

  private void run(MapNode root) {
    Set<String> endpoints = root.get("endpoints") instanceof MapNode m ? new TreeSet<>(m.entries().keySet()) : Set.of();
    if (root.get("generation") instanceof MapNode g) {
      endpointReference(g.get("endpoint"), "generation.endpoint", endpoints);
    }
    Map<String, String> kindByName = new HashMap<>();
    if (root.get("judges") instanceof ListNode judges) {
      Map<String, String> firstByName = new HashMap<>();
      for (int i = 0; i < judges.items().size(); i++) {
        if (!(judges.items().get(i) instanceof MapNode judge)) {
          continue;
        }
        String path = "judges." + i;
        endpointReference(judge.get("endpoint"), path + ".endpoint", endpoints);
        String name = text(judge.get("name"));
        if (name != null) {
          String kind = text(judge.get("kind"));
          kindByName.putIfAbsent(name, kind == null ? "absolute" : kind);
          ConfigNode nameNode = judge.get("name");
          String here = path + " (" + where(nameNode) + ")";
          String first = firstByName.putIfAbsent(name, here);
          if (first != null) {
            // Judgments are keyed by voter name: two judges with one name would merge their votes.
            problem(nameNode, path + ".name", "duplicate judge name '" + name + "' (also " + first + ")");
          }
        }
        fileReference(judge.get("template"), path + ".template", "template");
        fileReference(judge.get("rubric"), path + ".rubric", "rubric");
      }
    }
    if (root.get("rationalization") instanceof MapNode rat) {
      // The meta-judge grades judgments with its own endpoint, template and rubric, so it must be a configured
      // absolute judge (BuildRationalizationPairs reads one score per judgment).
      ConfigNode node = rat.get("meta_judge");
      String kind = judgeReference(node, "rationalization.meta_judge", kindByName, "the meta-judge");
      if (kind != null && !kind.equals("absolute")) {
        problem(node, "rationalization.meta_judge", "meta-judge '" + text(node) + "' must be an absolute judge, not " + kind);
      }
      // A pairwise judge is rationalized on its majority verdict per ordered pair: there is no gold file format for
      // pairs, and the meta-judge stage renders an absolute judge's prompts.
      ConfigNode judgeNode = rat.get("judge");
      String ratKind = judgeNode instanceof ScalarNode ? kindByName.get(text(judgeNode)) : null;
      if ("pairwise".equals(ratKind)) {
        if (rat.get("mode") instanceof ScalarNode m && "gold".equals(text(m))) {
          problem(m, "rationalization.mode", "a pairwise judge ('" + text(judgeNode) + "') is rationalized in pseudo-gold mode"
              + " (the majority verdict of each ordered pair); gold mode takes an absolute judge");
        }
        if (node != null) {
          problem(node, "rationalization.meta_judge", "the meta-judge tie-break grades an absolute judge's judgments;"
              + " '" + text(judgeNode) + "' is pairwise: leave tie_break at seeded");
        }
      }
    }
    if (root.get("ranking") instanceof MapNode ranking) {
      // The ranking judge compares two policies' responses side by side: only a pairwise judge can.
      ConfigNode node = ranking.get("judge");
      String kind = judgeReference(node, "ranking.judge", kindByName, "the ranking judge");
      if (kind != null && !kind.equals("pairwise")) {
        problem(node, "ranking.judge", "ranking judge '" + text(node) + "' must be a pairwise judge, not " + kind);
      }
      if (text(node) == null) {
        // Omitted: the ranking judge defaults to the anchor judge asked pairwise (RankingStage.judge), which needs
        // anchor.judge and a pairwise judge's template.
        boolean anchorJudge = root.get("anchor") instanceof MapNode anchor && text(anchor.get("judge")) != null;
        if (!anchorJudge) {
          problem(ranking, "ranking.judge", "not set, and there is no anchor judge (anchor.judge) to default to: name a"
              + " pairwise judge of judges:");
        } else if (!kindByName.containsValue("pairwise")) {
          problem(ranking, "ranking.judge", "not set, and the anchor judge it defaults to needs the template of a pairwise"
              + " judge in judges: to compare two responses; add one, or name ranking.judge");
        }
      }
    }
    if (root.get("qualification") instanceof MapNode q) {
      judgeReference(q.get("judge"), "qualification.judge", kindByName, "the judge to qualify");
      fileReference(q.get("set"), "qualification.set", "labelled set");
    } else if (root.get("gates") instanceof MapNode gates && gates.get("min_judge_accuracy") != null) {
      problem(gates.get("min_judge_accuracy"), "gates.min_judge_accuracy",
          "needs a qualification: section naming the judge and the labelled set it is measured on");
    }
    if (root.get("anchor") instanceof MapNode anchor) {
      anchorReferences(anchor, kindByName, endpoints);
    }
    if (root.get("input") instanceof MapNode input) {
      fileReference(input.get("path"), "input.path", "input");
    }
  }

  /** The anchor set's judges must be absolute judges of {@code judges:}, its anchor judge an endpoint, its file exist. */
  private void anchorReferences(MapNode anchor, Map<String, String> kindByName, Set<String> endpoints) {
    if (anchor.get("judges") instanceof ListNode names) {
      for (int i = 0; i < names.items().size(); i++) {
        ConfigNode node = names.items().get(i);
        String kind = judgeReference(node, "anchor.judges." + i, kindByName, "an anchor judge");
        if (kind != null && !kind.equals("absolute")) {
          problem(node, "anchor.judges." + i, "anchor judge '" + text(node) + "' must be an absolute judge, not " + kind);
        }
      }
    } else if (!kindByName.containsValue("absolute")) {
      problem(anchor, "anchor", "needs an absolute judge in judges: to judge the anchor set");
    }
    endpointReference(anchor.get("judge"), "anchor.judge", endpoints);
    String endpoint = text(anchor.get("judge"));
    if (endpoint != null && kindByName.containsKey(dev.assay.consistency.AnchorSpec.judgeName(endpoint))) {
      // Judgments are keyed by judge name: the anchor judge's must not merge with a voter's.
      problem(anchor.get("judge"), "anchor.judge", "the anchor judge is named '" + dev.assay.consistency.AnchorSpec.judgeName(endpoint)
          + "', which a judge in judges: already has; rename that judge");
    }
    fileReference(anchor.get("file"), "anchor.file", "anchor set");
  }

  /** Reports a name that is not a judge of {@code judges:}; returns the judge's kind, or null when it is none. */
  private String judgeReference(ConfigNode node, String path, Map<String, String> kindByName, String role) {
    String name = text(node);
    if (name == null) {
      return null;
    }
    if (!kindByName.containsKey(name)) {
      problem(node, path,
          "unknown judge '" + name + "'" + Suggestions.didYouMean(name, kindByName.keySet()) + "; " + role + " must be a judge in judges:");
      return null;
    }
    return kindByName.get(name);
  }

  private void endpointReference(ConfigNode node, String path, Set<String> endpoints) {
    String name = text(node);
    if (name == null || endpoints.contains(name)) {
      return;
    }
    String message =
        endpoints.isEmpty()
            ? "unknown endpoint '" + name + "': no endpoints are defined (add endpoints: or include a file under configs/endpoints/)"
            : "unknown endpoint '" + name + "'" + Suggestions.didYouMean(name, endpoints) + "; defined: " + String.join(", ", endpoints);
    problem(node, path, message);
  }

  private void fileReference(ConfigNode node, String path, String what) {
    String value = text(node);
    if (value == null) {
      return;
    }
    Path file = base.resolve(value).normalize();
    if (!Files.exists(file)) {
      problem(node, path, what + " file not found: " + file);
    } else if (!Files.isRegularFile(file)) {
      problem(node, path, what + " path is not a regular file: " + file);
    } else if (!Files.isReadable(file)) {
      problem(node, path, what + " file is not readable: " + file);
    }
  }

  /** The string a check can use, or null when the node is absent, not a string, or already reported. */
  private String text(ConfigNode node) {
    if (node instanceof ScalarNode s && s.value() instanceof String v && !skip.contains(node)) {
      return v;
    }
    return null;
  }

  private static String where(ConfigNode node) {
    return node.origin().line() > 0 ? node.origin().file() + ":" + node.origin().line() : node.origin().file();
  }

  private void problem(ConfigNode at, String path, String message) {
    problems.add(new ConfigProblem(at.origin().file(), at.origin().line(), path, message));
  }
}
