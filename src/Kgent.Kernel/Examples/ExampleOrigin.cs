namespace Kgent.Kernel.Examples;

/// <summary>Where an example came from, read from its <see cref="Example.Source"/>: the dataset Kgent ships, a bpftrace
/// tool installed on the machine, a user's own pair, or an earlier synthesis (verified by Kgent, not written by a person).
/// Retrieval shows it beside every example, so neither a user nor a model mistakes Kgent's own answers for ground truth.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExampleOrigin>))]
public enum ExampleOrigin
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("dataset")]
    Dataset,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("installed-tool")]
    InstalledTool,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("user")]
    User,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("synthesized")]
    Synthesized,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unlabelled")]
    Unknown,
}

public static class ExampleOrigins
{
    public static ExampleOrigin Of(string source) => source.Split(':', 2)[0] switch
    {
        "dataset" => ExampleOrigin.Dataset,
        "installed" => ExampleOrigin.InstalledTool,
        "user" => ExampleOrigin.User,
        "synthesis" => ExampleOrigin.Synthesized,
        _ => ExampleOrigin.Unknown,
    };

    /// <summary>The label retrieval shows: "dataset", "installed tool", "user", "synthesized", "unlabelled".</summary>
    public static string Label(this ExampleOrigin origin) => origin switch
    {
        ExampleOrigin.Dataset => "dataset",
        ExampleOrigin.InstalledTool => "installed tool",
        ExampleOrigin.User => "user",
        ExampleOrigin.Synthesized => "synthesized",
        _ => "unlabelled",
    };
}
