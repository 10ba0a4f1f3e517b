using System.Text.Json;
using System.Text.Json.Serialization;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Intent;

/// <summary>The specification's hand-written JSON is what the serializer wrote before it (camel case, kebab-case enums,
/// no nulls, indented; committed notebooks and transcripts hold it), and reads back to the same specification.</summary>
public sealed class IntentJsonWriterTests
{
    private static readonly JsonSerializerOptions Serializer = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = true,
    };

    public static TheoryData<string> Requests()
    {
        var data = new TheoryData<string>();
        foreach (var request in EvalSuiteLoader.Load(Evaluation.EvalSuiteTests.SuiteDirectory).Cases.Select(c => c.Request))
        {
            data.Add(request);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_offline_readings_of_the_evaluation_requests_are_written_as_the_serializer_wrote_them_and_read_back(string request)
    {
        var spec = OfflineIntentReader.Read(request, Catalogs.Snapshot);
        var written = IntentJson.Write(spec);

        Assert.Equal(JsonSerializer.Serialize(spec, Serializer), written);
        var read = IntentJson.Read(written, null, spec.Producer, Catalogs.Snapshot, out var problems);
        Assert.Empty(problems);
        Assert.Equal(written, IntentJson.Write(read!));
    }

    [Fact]
    public void Every_optional_member_and_escaped_text_is_written_as_the_serializer_wrote_it()
    {
        var spec = new IntentSpec(
            "histogram of \"read\" latency in µs <per> process & device",
            [
                new IntentEvent("read start", "read", [new IntentHook("tracepoint:block:block_rq_issue", "args->bytes > 2", Required: true)], EventRole.Start),
                new IntentEvent("read end", "read", [new IntentHook("tracepoint:block:block_rq_complete")], EventRole.End),
            ],
            new IntentComputation(ComputationKind.Latency, "latency", ComputationKind.LinearHistogram, "thread", 0, 100, 5),
            [new IntentKey("process-name", "per process", "woken")],
            [new IntentFilter(FilterKind.LargerThan, "over 10", "10"), new IntentFilter(FilterKind.Failure, "failed")],
            [new IntentField("path", "the path", "old")],
            new IntentValue("duration", "latency", "derived"),
            new IntentUnit("us", "µs"),
            new IntentPeriod(2, "every 2 seconds"),
            ["device"],
            "a test");

        var written = IntentJson.Write(spec);

        Assert.Equal(JsonSerializer.Serialize(spec, Serializer), written);
        Assert.Contains("\"shape\": \"linear-histogram\"", written, StringComparison.Ordinal);
        Assert.Equal(written, IntentJson.Write(IntentJson.Read(written, null, "a test", null, out _)!));
    }
}
