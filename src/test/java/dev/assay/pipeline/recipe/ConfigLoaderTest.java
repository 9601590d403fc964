package dev.assay.pipeline.recipe;

import dev.assay.config.ConfigException;
import dev.assay.config.ConfigProblem;
import dev.assay.judging.JudgeSpec;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static dev.assay.config.ProblemMatchers.problem;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.llm.EndpointConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Function<String, String> NO_ENV = name -> null;

  @TempDir Path dir;

  /** Template, rubric and input files that the cross-checks look for. */
  @BeforeEach
  void files() throws IOException {
    write("tpl/absolute.yaml", "kind: absolute\n");
    write("tpl/helpfulness.yaml", "criteria: helpful\n");
    write("data/prompts.jsonl", "{\"id\": 1, \"prompt\": \"hi\"}\n");
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  /** A complete, valid recipe body (no endpoints: they come from an include or are added by the test). */
  private static final String BODY =
      """
      name: t
      input:
        path: data/prompts.jsonl
      generation:
        endpoint: policy
        k: 4
      judges:
        - name: self
          endpoint: policy
          n: 3
          template: tpl/absolute.yaml
          rubric: tpl/helpfulness.yaml
      """;

  private static final String ENDPOINTS =
      """
      endpoints:
        policy:
          base_url: http://127.0.0.1:9/v1
          model: m
      """;

  private static ConfigException problems(Path recipe, List<Path> configs, List<String> sets, Function<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(recipe, configs, sets, env));
  }

  @Test
  void precedenceIsIncludesThenRecipeThenConfigsThenSet() throws IOException {
    Path base =
        write(
            "inc/base.yaml",
            ENDPOINTS
                + """
                description: from include
                seed: 1
                generation:
                  endpoint: policy
                  temperature: 0.5
                  system: be brief
                """);
    Path recipe =
        write(
            "recipe.yaml",
            """
            include: [inc/base.yaml]
            description: from recipe
            """
                + BODY);
    Path config =
        write(
            "cfg/override.yaml",
            """
            seed: 7
            generation:
              k: 6
              temperature: 0.9
            """);

    LoadedConfig loaded =
        ConfigLoader.load(recipe, List.of(config), List.of("generation.k=8", "judges.0.n=5", "generation.top_p=0.95"), NO_ENV);

    Recipe r = loaded.recipe();
    assertThat(r.description(), is("from recipe")); // recipe > include
    assertThat(r.seed(), is(7L)); // config > recipe's include
    assertThat(r.generation().k(), is(8)); // --set > config > recipe
    assertThat(r.generation().temperature(), is(0.9)); // config > include
    assertThat(r.generation().system(), is("be brief")); // maps merge deeply
    assertThat(r.generation().topP(), is(0.95)); // --set may set a field no file wrote
    assertThat(r.judges().get(0).n(), is(5));
    assertThat(r.endpoints().get("policy"), is(EndpointConfig.of("http://127.0.0.1:9/v1", "m")));
    assertThat(r.include(), contains("inc/base.yaml"));
    assertThat(loaded.recipeDir(), is(dir.toAbsolutePath().normalize()));
    assertThat(loaded.resolve("data/prompts.jsonl"), is(dir.resolve("data/prompts.jsonl").toAbsolutePath().normalize()));
    assertThat(
        loaded.files(),
        contains(
            new LoadedConfig.SourceFile(recipe, sha256(recipe)),
            new LoadedConfig.SourceFile(base, sha256(base)),
            new LoadedConfig.SourceFile(config, sha256(config))));
  }

  @Test
  void listsReplaceInsteadOfConcatenating() throws IOException {
    Path recipe = write("recipe.yaml", ENDPOINTS + BODY);
    Path config =
        write(
            "two.yaml",
            """
            judges:
              - {name: a, endpoint: policy, template: tpl/absolute.yaml}
              - {name: b, endpoint: policy, template: tpl/absolute.yaml, kind: pairwise}
            """);
    Recipe r = ConfigLoader.load(recipe, List.of(config), List.of(), NO_ENV).recipe();
    assertThat(r.judges().stream().map(JudgeSpec::name).toList(), contains("a", "b"));
    assertThat(r.judges().get(0).rubric(), is((String) null));
  }

  @Test
  void interpolatesEnvironmentWithDefaultsAndKeepsTheWrittenTextForTheManifest() throws IOException {
    Path recipe =
        write(
            "recipe.yaml",
            BODY
                + """
                endpoints:
                  policy:
                    base_url: "${SIM_URL:-http://127.0.0.1:8089/v1}"
                    model: "${MODEL}"
                    max_in_flight: ${LIMIT:-8}
                    api_key_env: KEY_VAR
                description: "cost $${USD} for ${MODEL}"
                """);

    LoadedConfig loaded = ConfigLoader.load(recipe, List.of(), List.of(), Map.of("MODEL", "m-1")::get);

    EndpointConfig policy = loaded.recipe().endpoints().get("policy");
    assertThat(policy.baseUrl(), is("http://127.0.0.1:8089/v1"));
    assertThat(policy.model(), is("m-1"));
    assertThat(policy.maxInFlight(), is(8)); // an expanded string may stand for a number
    assertThat(loaded.recipe().description(), is("cost ${USD} for m-1"));
    @SuppressWarnings("unchecked")
    Map<String, Object> written = (Map<String, Object>) ((Map<String, Object>) loaded.config().get("endpoints")).get("policy");
    assertThat(written.get("model"), is("${MODEL}"));
    assertThat(loaded.canonicalJson(), not(containsString("m-1")));

    LoadedConfig withEnv =
        ConfigLoader.load(recipe, List.of(), List.of(), Map.of("MODEL", "m-2", "SIM_URL", "http://10.0.0.1:1/v1", "LIMIT", "3")::get);
    assertThat(withEnv.recipe().endpoints().get("policy").baseUrl(), is("http://10.0.0.1:1/v1"));
    assertThat(withEnv.recipe().endpoints().get("policy").maxInFlight(), is(3));
  }

  @Test
  void unsetVariableIsAProblemNamingTheVariableAndNeverAValue() throws IOException {
    Path recipe =
        write(
            "recipe.yaml",
            BODY
                + """
                endpoints:
                  policy:
                    base_url: "${SECRET_HOST}"
                    model: m
                  judge:
                    base_url: "${JUDGE_URL}"
                    model: m
                """);
    String secret = "ftp://tok-5f3a9c1e7b";

    ConfigException e = problems(recipe, List.of(), List.of(), Map.of("JUDGE_URL", secret)::get);

    assertThat(
        e.problems(),
        contains(
            problem(recipe, 15, "endpoints.policy.base_url", containsString("environment variable SECRET_HOST is not set")),
            // The judge's URL is set but rejected by EndpointConfig, whose message quotes the value: it is shown
            // as the ${...} text the user wrote instead.
            problem(recipe, 18, "endpoints.judge.base_url", allOf(containsString("must start with http://"), containsString("${JUDGE_URL}")))));
    assertThat(e.getMessage(), not(containsString("tok-5f3a9c1e7b")));
    assertThat(e.getMessage(), containsString(recipe + ":15: endpoints.policy.base_url: environment variable SECRET_HOST is not set"));
    // One unset variable is one problem: no follow-up about an invalid URL.
    assertThat(e.problems(), hasSize(2));
  }

  @Test
  void unknownKeysAreRejectedWithASuggestion() throws IOException {
    Path recipe =
        write(
            "recipe.yaml",
            ENDPOINTS
                + """
                name: t
                input: {path: data/prompts.jsonl}
                generation:
                  endpoint: policy
                  tempreature: 0.5
                judgs: []
                wholly_unrelated: 1
                """);

    ConfigException e = problems(recipe, List.of(), List.of(), NO_ENV);

    assertThat(
        e.problems(),
        contains(
            problem(recipe, 9, "generation.tempreature", is("unknown key 'tempreature' (did you mean 'temperature'?)")),
            problem(recipe, 10, "judgs", is("unknown key 'judgs' (did you mean 'judges'?)")),
            problem(recipe, 11, "wholly_unrelated", startsWith("unknown key 'wholly_unrelated'; known keys: name, description, seed,"))));
  }

  @Test
  void wrongTypesAreReported() throws IOException {
    Path recipe =
        write(
            "recipe.yaml",
            ENDPOINTS
                + """
                name: t
                seed: "42"
                input: data/prompts.jsonl
                generation:
                  endpoint: policy
                  k: four
                  temperature: [0.1]
                judges:
                  self: {}
                """);

    ConfigException e = problems(recipe, List.of(), List.of(), NO_ENV);

    assertThat(
        e.problems(),
        contains(
            problem(recipe, 6, "seed", is("expected an integer, got a string '42'")),
            problem(recipe, 7, "input", is("expected a map, got a string 'data/prompts.jsonl'")),
            problem(recipe, 10, "generation.k", is("expected an integer, got a string 'four'")),
            problem(recipe, 11, "generation.temperature", is("expected a number, got a list")),
            problem(recipe, 12, "judges", is("expected a list, got a map"))));
  }

  @Test
  void reportsEveryProblemAcrossFilesWithTheirLines() throws IOException {
    Path include =
        write(
            "inc/endpoints.yaml",
            """
            endpoints:
              policy:
                base_url: http://127.0.0.1:9/v1
                model: m
                max_in_flite: 4
            """);
    Path recipe =
        write(
            "recipe.yaml",
            """
            include: [inc/endpoints.yaml]
            name: t
            input:
              path: data/prompts.jsonl
              limit: -1
            generation:
              endpoint: policy
            judges:
              - name: self
                endpoint: policy
                n: lots
                template: tpl/absolute.yaml
            """);
    Path config = write("cfg/k.yaml", "generation:\n  k: 0\n");

    ConfigException e = problems(recipe, List.of(config), List.of("endpoints.policy.model="), NO_ENV);

    assertThat(
        e.problems(),
        contains(
            problem(Path.of("--set"), 0, "endpoints.policy.model", is("missing required field")),
            problem(config, 2, "generation.k", is("k must be >= 1: 0")),
            problem(include, 5, "endpoints.policy.max_in_flite", containsString("did you mean 'max_in_flight'?")),
            problem(recipe, 5, "input.limit", is("limit must be >= 0: -1")),
            problem(recipe, 11, "judges.0.n", is("expected an integer, got a string 'lots'"))));
    assertThat(
        e.getMessage(),
        allOf(
            startsWith("5 configuration problems:\n"),
            containsString("\n" + config + ":2: generation.k: k must be >= 1: 0"),
            containsString("\n" + recipe + ":11: judges.0.n: expected an integer, got a string 'lots'"),
            containsString("\n--set: endpoints.policy.model: missing required field")));
  }

  @Test
  void constructorChecksArePlacedOnTheFieldTheyName() throws IOException {
    Path recipe =
        write(
            "recipe.yaml",
            ENDPOINTS
                + """
                name: t
                input: {path: data/prompts.jsonl}
                generation:
                  endpoint: policy
                  k: 0
                judges:
                  - name: self
                    endpoint: policy
                """);

    ConfigException e = problems(recipe, List.of(), List.of(), NO_ENV);

    assertThat(
        e.problems(),
        contains(
            problem(recipe, 9, "generation.k", is("k must be >= 1: 0")),
            // A missing required field has no line of its own: it is reported on its record's first line.
            problem(recipe, 11, "judges.0.template", is("missing required field"))));
  }

  @Test
  void missingRequiredTopLevelFieldAndExplicitNull() throws IOException {
    Path recipe = write("recipe.yaml", ENDPOINTS + "input: {path: data/prompts.jsonl}\ngeneration: {endpoint: policy, k: ~}\n");
    ConfigException e = problems(recipe, List.of(), List.of(), NO_ENV);
    assertThat(e.problems(), contains(problem(recipe, 1, "name", is("missing required field"))));
  }

  @Test
  void danglingEndpointReferencesAndDuplicateJudgeNames() throws IOException {
    Path recipe =
        write(
            "recipe.yaml",
            ENDPOINTS
                + """
                name: t
                input: {path: data/prompts.jsonl}
                generation: {endpoint: polcy}
                judges:
                  - {name: self, endpoint: policy, template: tpl/absolute.yaml}
                  - {name: self, endpoint: grader, template: tpl/absolute.yaml}
                """);

    ConfigException e = problems(recipe, List.of(), List.of(), NO_ENV);

    assertThat(
        e.problems(),
        contains(
            problem(recipe, 7, "generation.endpoint", is("unknown endpoint 'polcy' (did you mean 'policy'?); defined: policy")),
            problem(recipe, 10, "judges.1.endpoint", is("unknown endpoint 'grader'; defined: policy")),
            problem(recipe, 10, "judges.1.name", is("duplicate judge name 'self' (also judges.0 (" + recipe + ":9))"))));
  }

  @Test
  void missingTemplateRubricAndInputFiles() throws IOException {
    Path recipe =
        write(
            "pipes/recipe.yaml",
            ENDPOINTS
                + """
                name: t
                input: {path: ../data/missing.jsonl}
                judges:
                  - name: self
                    endpoint: policy
                    template: ../tpl/absolute.yaml
                    rubric: ../tpl/nope.yaml
                  - name: other
                    endpoint: policy
                    template: ../tpl/absent.yaml
                """);

    ConfigException e = problems(recipe, List.of(), List.of(), NO_ENV);

    Path pipes = dir.resolve("pipes");
    assertThat(
        e.problems(),
        contains(
            problem(recipe, 6, "input.path", is("input file not found: " + dir.resolve("data/missing.jsonl"))),
            problem(recipe, 11, "judges.0.rubric", is("rubric file not found: " + pipes.resolve("../tpl/nope.yaml").normalize())),
            problem(recipe, 14, "judges.1.template", is("template file not found: " + dir.resolve("tpl/absent.yaml")))));
  }

  @Test
  void setOverrideProblems() throws IOException {
    Path recipe = write("recipe.yaml", ENDPOINTS + BODY);

    ConfigException e =
        problems(
            recipe,
            List.of(),
            List.of("generation.tempreture=0.3", "judges.3.n=1", "name.first=x", "no-equals-sign", "include.0=x.yaml", "judges.0.n=five"),
            NO_ENV);

    Path set = Path.of("--set");
    assertThat(
        e.problems(),
        contains(
            problem(set, 0, "judges.3.n", is("index 3 is out of range: judges has 1 item(s)")),
            problem(set, 0, "name.first", is("name is a string, it has no field 'first'")),
            problem(set, 0, null, is("expected key.path=value, got 'no-equals-sign'")),
            problem(set, 0, "include.0", containsString("include cannot be overridden")),
            problem(set, 0, "generation.tempreture", is("unknown key 'tempreture' (did you mean 'temperature'?)")),
            problem(set, 0, "judges.0.n", is("expected an integer, got a string 'five'"))));
  }

  @Test
  void setValuesAreYamlScalarsAndEmptyResetsToTheDefault() throws IOException {
    Path recipe = write("recipe.yaml", ENDPOINTS + BODY);
    Recipe r =
        ConfigLoader.load(recipe, List.of(), List.of("generation.k=", "seed=9", "generation.system=You are: brief", "description=\"7\""), NO_ENV)
            .recipe();
    assertThat(r.generation().k(), is(4));
    assertThat(r.seed(), is(9L));
    assertThat(r.generation().system(), is("You are: brief"));
    assertThat(r.description(), is("7"));
  }

  @Test
  void yamlSyntaxErrorsIncludeCyclesDuplicateKeysAndMissingIncludes() throws IOException {
    Path broken = write("broken.yaml", "name: t\ninput:\n  path: [a, b\n");
    ConfigException e1 = problems(broken, List.of(), List.of(), NO_ENV);
    assertThat(e1.problems(), hasSize(1));
    assertThat(e1.problems().get(0).file(), is(broken.toString()));
    assertThat(e1.problems().get(0).message(), startsWith("YAML syntax error: "));
    assertThat(e1.problems().get(0).line(), is(3L));

    Path a = write("a.yaml", "include: [b.yaml]\nname: t\n");
    Path b = write("b.yaml", "include: [missing.yaml, a.yaml]\nname: u\nname: v\n");
    ConfigException e2 = problems(a, List.of(), List.of(), NO_ENV);
    assertThat(
        e2.problems(),
        contains(
            problem(b, 1, "include.0", is("file not found: " + dir.resolve("missing.yaml"))),
            problem(b, 1, "include.1", is("include cycle: " + a + " -> " + b + " -> " + a)),
            problem(b, 3, "name", is("duplicate key (first on line 2)"))));
  }

  @Test
  void canonicalHashIgnoresKeyOrderAndEnvironment() throws IOException {
    Path one =
        write(
            "one/recipe.yaml",
            """
            name: t
            endpoints:
              policy: {base_url: "${URL:-http://127.0.0.1:1/v1}", model: m, max_in_flight: 4}
            input: {path: ../data/prompts.jsonl, format: prompts}
            """);
    Path two =
        write(
            "two/recipe.yaml",
            """
            input:
              format: prompts
              path: ../data/prompts.jsonl
            endpoints:
              policy:
                max_in_flight: 4
                model: m
                base_url: "${URL:-http://127.0.0.1:1/v1}"
            name: t
            """);

    LoadedConfig a = ConfigLoader.load(one, List.of(), List.of(), NO_ENV);
    LoadedConfig b = ConfigLoader.load(two, List.of(), List.of(), Map.of("URL", "http://10.1.2.3:5/v1")::get);
    LoadedConfig c = ConfigLoader.load(two, List.of(), List.of("endpoints.policy.max_in_flight=5"), NO_ENV);

    assertThat(b.recipe().endpoints().get("policy").baseUrl(), is("http://10.1.2.3:5/v1"));
    assertThat(a.canonicalJson(), is(b.canonicalJson()));
    assertThat(a.configHash(), is(b.configHash()));
    assertThat(a.configHash(), is(sha256Hex(a.canonicalJson())));
    assertThat(
        a.canonicalJson(),
        is("{\"endpoints\":{\"policy\":{\"base_url\":\"${URL:-http://127.0.0.1:1/v1}\",\"max_in_flight\":4,\"model\":\"m\"}},"
            + "\"input\":{\"format\":\"prompts\",\"path\":\"../data/prompts.jsonl\"},\"name\":\"t\"}"));
    assertThat(c.configHash(), not(a.configHash())); // overrides are part of the configuration
    assertThat(a.files(), hasSize(1));
    assertThat(b.files().get(0).sha256(), not(a.files().get(0).sha256())); // the files themselves differ
  }

  @Test
  void emptyRecipeAndNonMapTopLevel() throws IOException {
    Path empty = write("empty.yaml", "");
    assertThat(
        problems(empty, List.of(), List.of(), NO_ENV).problems().stream().map(ConfigProblem::fieldPath).toList(),
        // A compact constructor stops at its first failed check, so only the first missing field is named.
        contains("name"));
    Path list = write("list.yaml", "- a\n- b\n");
    assertThat(
        problems(list, List.of(), List.of(), NO_ENV).problems(),
        contains(problem(list, 1, null, is("expected a map at the top level, got a list"))));
    Path none = dir.resolve("none.yaml");
    assertThat(problems(none, List.of(), List.of(), NO_ENV).problems(), contains(problem(none, 0, null, is("file not found: " + none))));
  }

  @Test
  void loadedConfigIsUnmodifiable() throws IOException {
    LoadedConfig loaded = ConfigLoader.load(write("recipe.yaml", ENDPOINTS + BODY), List.of(), List.of(), NO_ENV);
    assertThrows(UnsupportedOperationException.class, () -> loaded.config().put("x", 1));
    assertThat(loaded.recipe().judges(), not(empty()));
    assertThat(loaded.config().keySet(), hasItem("judges"));
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void qualificationNamesAConfiguredJudgeAndAnExistingSetAndTheGateNeedsIt() throws IOException {
    write("data/gold.json", "[]\n");
    Path ok = write("ok.yaml", BODY + ENDPOINTS + "qualification: {judge: self, set: data/gold.json, format: llmbar}\ngates: {min_judge_accuracy: 0.8}\n");
    Recipe r = ConfigLoader.load(ok, List.of(), List.of(), NO_ENV).recipe();
    assertThat(r.qualification(), is(new dev.assay.qualification.QualificationSection("self", "data/gold.json", dev.assay.qualification.LabelledSet.Format.LLMBAR, true, dev.assay.qualification.ParseRule.ASSAY)));
    assertThat(r.gates().minJudgeAccuracy(), is(0.8));

    Path bad = write("bad.yaml", BODY + ENDPOINTS + "qualification: {judge: slef, set: data/none.json, format: llmbar, parse: llmbar-cot}\n");
    ConfigException e = problems(bad, List.of(), List.of(), NO_ENV);
    assertThat(e.problems(), hasItem(problem(bad, 17, "qualification.judge", startsWith("unknown judge 'slef' (did you mean 'self'?)"))));
    assertThat(e.problems(), hasItem(problem(bad, 17, "qualification.set", startsWith("labelled set file not found: "))));

    Path orphan = write("orphan.yaml", BODY + ENDPOINTS + "gates: {min_judge_accuracy: 0.8}\n");
    assertThat(
        problems(orphan, List.of(), List.of(), NO_ENV).problems(),
        hasItem(problem(orphan, 17, "gates.min_judge_accuracy", startsWith("needs a qualification: section"))));
  }

  @Test
  void rankingNamesAConfiguredPairwiseJudge() throws IOException {
    String pairwise = "  - {name: pw, endpoint: policy, kind: pairwise, n: 1, template: tpl/absolute.yaml}\n";
    Path ok = write("ranked.yaml", BODY + pairwise + ENDPOINTS + "ranking: {judge: pw, replicates: 500}\n");
    Recipe r = ConfigLoader.load(ok, List.of(), List.of(), NO_ENV).recipe();
    assertThat(r.ranking(), is(new dev.assay.ranking.RankingSpec("pw", 500, 42L)));

    Path absolute = write("absolute.yaml", BODY + ENDPOINTS + "ranking: {judge: self}\n");
    assertThat(
        problems(absolute, List.of(), List.of(), NO_ENV).problems(),
        hasItem(problem(absolute, 17, "ranking.judge", startsWith("ranking judge 'self' must be a pairwise judge, not absolute"))));
    Path unknown = write("unknown.yaml", BODY + ENDPOINTS + "ranking: {judge: slef}\n");
    assertThat(
        problems(unknown, List.of(), List.of(), NO_ENV).problems(),
        hasItem(problem(unknown, 17, "ranking.judge", startsWith("unknown judge 'slef' (did you mean 'self'?)"))));
  }

  @Test
  void aPairwiseJudgeIsRationalizedInPseudoGoldModeWithASeededTieBreak() throws IOException {
    String pairwise = "  - {name: pw, endpoint: policy, kind: pairwise, n: 3, template: tpl/absolute.yaml}\n";
    Path ok = write("pw-rat.yaml", BODY + pairwise + ENDPOINTS + "rationalization: {judge: pw}\n");
    assertThat(ConfigLoader.load(ok, List.of(), List.of(), NO_ENV).recipe().rationalization().judge(), is("pw"));

    write("data/gold.jsonl", "");
    Path gold = write("pw-gold.yaml", BODY + pairwise + ENDPOINTS + "rationalization: {judge: pw, mode: gold, gold: data/gold.jsonl}\n");
    assertThat(
        problems(gold, List.of(), List.of(), NO_ENV).problems(),
        hasItem(problem(gold, 18, "rationalization.mode", startsWith("a pairwise judge ('pw') is rationalized in pseudo-gold mode"))));
    Path meta = write("pw-meta.yaml", BODY + pairwise + ENDPOINTS + "rationalization: {judge: pw, tie_break: meta-judge, meta_judge: self}\n");
    assertThat(
        problems(meta, List.of(), List.of(), NO_ENV).problems(),
        hasItem(problem(meta, 18, "rationalization.meta_judge", startsWith("the meta-judge tie-break grades an absolute judge's judgments"))));
  }

  @Test
  void anOmittedRankingJudgeNeedsAnAnchorJudgeAndAPairwiseTemplate() throws IOException {
    String pairwise = "  - {name: pw, endpoint: policy, kind: pairwise, n: 1, template: tpl/absolute.yaml}\n";
    Path ok = write("default.yaml", BODY + pairwise + ENDPOINTS + "anchor: {judge: policy}\nranking: {replicates: 500}\n");
    assertThat(ConfigLoader.load(ok, List.of(), List.of(), NO_ENV).recipe().ranking(), is(new dev.assay.ranking.RankingSpec(null, 500, 42L)));

    Path noAnchor = write("no-anchor.yaml", BODY + pairwise + ENDPOINTS + "ranking: {replicates: 500}\n");
    assertThat(
        problems(noAnchor, List.of(), List.of(), NO_ENV).problems(),
        hasItem(problem(noAnchor, 18, "ranking.judge", startsWith("not set, and there is no anchor judge (anchor.judge) to default to"))));
    Path noPairwise = write("no-pairwise.yaml", BODY + ENDPOINTS + "anchor: {judge: policy}\nranking: {replicates: 500}\n");
    assertThat(
        problems(noPairwise, List.of(), List.of(), NO_ENV).problems(),
        hasItem(problem(noPairwise, 18, "ranking.judge", startsWith("not set, and the anchor judge it defaults to needs the template of a pairwise judge"))));
  }
}
