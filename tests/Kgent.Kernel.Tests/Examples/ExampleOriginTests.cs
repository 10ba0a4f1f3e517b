using System.Text.Json;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Examples;

namespace Kgent.Kernel.Tests.Examples;

/// <summary>Every example is labelled by where it came from, and retrieval's consumers show the label.</summary>
public sealed class ExampleOriginTests
{
    [Theory]
    [InlineData("dataset:ebpfnl/train/files-openat-1", ExampleOrigin.Dataset, "dataset")]
    [InlineData("installed:/usr/sbin/opensnoop.bt", ExampleOrigin.InstalledTool, "installed tool")]
    [InlineData("user:/home/ann/mine.bt", ExampleOrigin.User, "user")]
    [InlineData("synthesis:offline retrieval model:2026-12-05T10:00:00Z", ExampleOrigin.Synthesized, "synthesized")]
    [InlineData("prompt", ExampleOrigin.Unknown, "unlabelled")]
    public void The_source_gives_the_origin_and_its_label(string source, ExampleOrigin origin, string label)
    {
        var example = Example.New("count opens", "tracepoint:syscalls:sys_enter_openat { @ = count(); }\n", source);
        Assert.Equal(origin, example.Origin);
        Assert.Equal(label, origin.Label());
    }

    [Fact]
    public void Json_names_the_origin_in_words()
    {
        var json = JsonSerializer.Serialize(Example.New("r", "p", "synthesis:m:t"));
        Assert.Contains("\"Origin\":\"synthesized\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prompt_says_where_each_example_came_from()
    {
        ExampleMatch Match(string source) => new(Example.New("count opens " + source, "tracepoint:syscalls:sys_enter_openat { @ = count(); }\n", source), 1);
        var prompt = Prompter.Build("count file opens", [Match("dataset:ebpfnl/train/a"), Match("synthesis:offline retrieval model:t")], [], catalog: null);

        Assert.Contains("Example from dataset:\n### count opens dataset:ebpfnl/train/a", prompt.UserMessage.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Example from synthesized:\n### count opens synthesis:", prompt.UserMessage.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
