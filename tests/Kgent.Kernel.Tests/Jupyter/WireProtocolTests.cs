using System.Text;
using System.Text.Json.Nodes;
using Kgent.Jupyter;
using Kgent.Notebook;

namespace Kgent.Kernel.Tests.Jupyter;

/// <summary>The native kernel's message signing and framing, and the completions it serves, without a kernel.</summary>
public sealed class WireProtocolTests
{
    [Fact]
    public void Signatures_are_hmac_sha256_over_the_parts_in_lower_case_hex()
    {
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the text in four parts.
        var signer = new MessageSigner("key");
        byte[][] parts = [.. new[] { "The quick ", "brown fox ", "jumps over ", "the lazy dog" }.Select(Encoding.UTF8.GetBytes)];

        Assert.Equal("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", signer.Sign(parts));
        Assert.True(signer.Verify("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", parts));
        Assert.False(signer.Verify("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd9", parts));
        Assert.Equal(string.Empty, new MessageSigner(string.Empty).Sign(parts));
    }

    [Fact]
    public void A_message_round_trips_and_a_tampered_one_is_refused()
    {
        var signer = new MessageSigner("secret");
        var message = new JupyterMessage([[1, 2, 3]], JupyterMessage.NewHeader("execute_request", "s"), [], [], new JsonObject { ["code"] = "#!kgent config" });
        var frames = message.Encode(signer);

        var decoded = JupyterMessage.Decode(frames, signer, out var problem);
        Assert.Null(problem);
        Assert.Equal("execute_request", decoded!.Type);
        Assert.Equal("#!kgent config", decoded.Content["code"]!.GetValue<string>());
        Assert.Equal([1, 2, 3], Assert.Single(decoded.Identities));

        frames[^1] = Encoding.UTF8.GetBytes("{\"code\":\"#!kgent run\"}");
        Assert.Null(JupyterMessage.Decode(frames, signer, out problem));
        Assert.Contains("wrong signature", problem, StringComparison.Ordinal);
        Assert.Null(JupyterMessage.Decode(frames, new MessageSigner("other"), out _));
        Assert.Null(JupyterMessage.Decode([[1], [2]], signer, out problem));
        Assert.Contains("delimiter", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_without_the_magic_gets_it_on_its_own_first_line()
    {
        Assert.Equal("#!kgent check\nBEGIN { }", JupyterKernel.WithMagic("check\nBEGIN { }"));
        Assert.Equal("\n#!kgent verify", JupyterKernel.WithMagic("\n#!kgent verify"));
        Assert.Equal("\n  #!kgent run --duration 1s", JupyterKernel.WithMagic("\n  run --duration 1s"));
    }

    [Theory]
    [InlineData("#!kgent sy", "synth|symbex", 8)]
    [InlineData("#!kgent check --", "", 14)]
    [InlineData("#!kgent run --", "--duration|--workload", 12)]
    [InlineData("#!kgent eval --configs few", "few-shot,kgent|few-shot,feedback,symbex,hints,kgent|few-shot", 23)]
    [InlineData("#!kgent check\ntracepoint:sy", "", 14)]
    [InlineData("ru", "run", 0)]
    public void Completions_follow_the_stage_table(string cell, string expected, int start)
    {
        var (matches, from, to) = KgentCompletions.Complete(cell, cell.Length);

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), matches);
        Assert.Equal(start, from);
        Assert.Equal(cell.Length, to);
    }
}
