package dev.assay.config;

import java.nio.file.Path;
import java.util.Objects;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/** Hamcrest matchers for {@link ConfigProblem} (records have no bean getters for {@code hasProperty}). */
public final class ProblemMatchers {
  private ProblemMatchers() {}

  public static Matcher<ConfigProblem> problem(Path file, long line, String field, Matcher<String> message) {
    String name = file.normalize().toString();
    return new TypeSafeDiagnosingMatcher<>() {
      @Override
      protected boolean matchesSafely(ConfigProblem p, Description mismatch) {
        boolean ok = p.file().equals(name) && p.line() == line && Objects.equals(p.fieldPath(), field) && message.matches(p.message());
        if (!ok) {
          mismatch.appendText("was ").appendValue(p.format());
        }
        return ok;
      }

      @Override
      public void describeTo(Description d) {
        d.appendText("problem at ").appendValue(name + ":" + line + ": " + field + ": ").appendText("with message ").appendDescriptionOf(message);
      }
    };
  }
}
