package dev.assay.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** How the tests find the real llama.cpp servers, and what they do when the servers are not there. */
class LlamaServersTest {
  @TempDir Path dir;

  @Test
  void readsTheStateFileTheScriptWrites() throws IOException {
    Path state = dir.resolve("llama-server.env");
    Files.writeString(
        state,
        """
        # Written by scripts/llama-server start; removed by scripts/llama-server stop.
        ASSAY_LLAMA_POLICY_URL=http://127.0.0.1:40001/v1
        ASSAY_LLAMA_POLICY_MODEL=policy
        ASSAY_LLAMA_POLICY_PORT=40001
        ASSAY_LLAMA_POLICY_PID=123
        ASSAY_LLAMA_PREVIOUS_URL=http://127.0.0.1:40002/v1
        ASSAY_LLAMA_PREVIOUS_MODEL=previous
        ASSAY_LLAMA_PREVIOUS_PORT=40002
        ASSAY_LLAMA_PREVIOUS_PID=124
        ASSAY_LLAMA_SLOTS=4
        ASSAY_LLAMA_CTX=8192
        ASSAY_LLAMA_COMMIT=80fb11ac73e66d89eae2c6a91d8a77428fa733ed
        ASSAY_LLAMA_VERSION='0.4.0-dev (build 1, commit 80fb11a)'
        """);

    LlamaServers servers = LlamaServers.read(state);

    assertThat(servers.policy(), is(new LlamaServers.Server("http://127.0.0.1:40001/v1", "policy")));
    assertThat(servers.previous(), is(new LlamaServers.Server("http://127.0.0.1:40002/v1", "previous")));
    assertThat(servers.slots(), is(4));
    assertThat(servers.contextSize(), is(8192));
    assertThat(servers.version(), is("0.4.0-dev (build 1, commit 80fb11a)"));
    assertThat(servers.environment().get("ASSAY_LLAMA_PREVIOUS_URL"), is("http://127.0.0.1:40002/v1"));
  }

  @Test
  void aStateFileWithoutAKeyNamesTheKey() throws IOException {
    Path state = dir.resolve("partial.env");
    Files.writeString(state, "ASSAY_LLAMA_POLICY_URL=http://127.0.0.1:1/v1\n");

    var e = assertThrows(LlamaServers.MissingException.class, () -> LlamaServers.read(state));

    assertThat(e.getMessage(), containsString("ASSAY_LLAMA_POLICY_MODEL"));
  }

  @Test
  void missingServersSkipOutsideCiWithTheCommandThatStartsThem() {
    Map<String, String> env = Map.of("ASSAY_LLAMA_STATE", dir.resolve("absent.env").toString());

    var e = assertThrows(TestAbortedException.class, () -> LlamaServers.require(env::get));

    assertThat(e.getMessage(), allOf(containsString("absent.env"), containsString(LlamaServers.START_COMMAND)));
  }

  @Test
  void missingServersFailUnderCi() {
    Map<String, String> env = Map.of("ASSAY_LLAMA_STATE", dir.resolve("absent.env").toString(), "CI", "true");

    var e = assertThrows(AssertionFailedError.class, () -> LlamaServers.require(env::get));

    assertThat(e.getMessage(), allOf(containsString("CI is set"), containsString(LlamaServers.START_COMMAND)));
  }

  @Test
  void aStateFileOfServersThatExitedIsNotTakenForRunningServers() throws IOException {
    // Port 1 on loopback: nothing listens there, as after the servers were killed without `stop`.
    Path state = dir.resolve("stale.env");
    Files.writeString(
        state,
        """
        ASSAY_LLAMA_POLICY_URL=http://127.0.0.1:1/v1
        ASSAY_LLAMA_POLICY_MODEL=policy
        ASSAY_LLAMA_PREVIOUS_URL=http://127.0.0.1:1/v1
        ASSAY_LLAMA_PREVIOUS_MODEL=previous
        ASSAY_LLAMA_SLOTS=4
        ASSAY_LLAMA_CTX=8192
        ASSAY_LLAMA_COMMIT=c
        ASSAY_LLAMA_VERSION=v
        """);
    Map<String, String> env = Map.of("ASSAY_LLAMA_STATE", state.toString());

    var e = assertThrows(TestAbortedException.class, () -> LlamaServers.require(env::get));

    assertThat(e.getMessage(), containsString("does not answer /health"));
  }
}
